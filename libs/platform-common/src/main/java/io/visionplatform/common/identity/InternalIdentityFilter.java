package io.visionplatform.common.identity;

import java.net.URI;
import java.util.regex.Pattern;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;

/**
 * Every service's REST calls under {@code /api/} must carry the gateway's internal identity token in
 * {@value InternalIdentity#HEADER}; without a valid one they answer 401 {@code UNAUTHORIZED} in the error
 * envelope. The check runs before resource matching, so a direct caller learns nothing, not even which routes
 * exist; operational paths ({@code /q/…}, {@code /.well-known/…}) are never checked. The verified caller is published in
 * {@link CurrentIdentity}.
 *
 * <p>
 * {@code platform.identity.enforce-on-api=false} turns the filter off (the gateway, whose own {@code /api/}
 * endpoints face clients); {@code platform.identity.required=false} lets calls without a token through —
 * for tests only.
 */
public class InternalIdentityFilter {

    /** Request property carrying the verified identity from the (possibly asynchronous) check to the holder. */
    static final String PROPERTY = InternalIdentityFilter.class.getName() + ".identity";

    private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

    private final IdentityConfig config;
    private final InternalIdentityVerifier verifier;
    private final CurrentIdentity current;

    public InternalIdentityFilter(IdentityConfig config, InternalIdentityVerifier verifier, CurrentIdentity current) {
        this.config = config;
        this.verifier = verifier;
        this.current = current;
    }

    /** Verifies the token; waits (without blocking) only when the gateway's JWKS must be fetched. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Void> verifyIdentity(ContainerRequestContext request) {
        if (!config.enforceOnApi() || !isApiPath(request)) {
            return Uni.createFrom().voidItem();
        }
        String token = request.getHeaderString(InternalIdentity.HEADER);
        if (token == null || token.isBlank()) {
            return config.required()
                    ? Uni.createFrom().failure(PlatformException.unauthorized(
                            "Missing internal identity token: calls must come through the gateway"))
                    : Uni.createFrom().voidItem();
        }
        return verifier.verify(token.trim())
                .invoke(identity -> request.setProperty(PROPERTY, identity))
                .replaceWithVoid();
    }

    /**
     * Publishes the identity once the check has resumed the request: the request scope is active here, which a
     * JWKS fetch's callback thread does not guarantee.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 1)
    public void publishIdentity(ContainerRequestContext request) {
        if (request.getProperty(PROPERTY) instanceof InternalIdentity identity) {
            current.set(identity);
        }
    }

    private static boolean isApiPath(ContainerRequestContext request) {
        return underApi(request.getUriInfo().getPath()) || underApi(absolutePath(request));
    }

    private static String absolutePath(ContainerRequestContext request) {
        try {
            URI uri = request.getUriInfo().getAbsolutePath();
            return uri.normalize().getPath();
        } catch (RuntimeException e) {
            // An unparsable URI never matched a resource by a path we could exempt: check it.
            return "/api/";
        }
    }

    static boolean underApi(String path) {
        if (path == null) {
            return false;
        }
        String collapsed = REPEATED_SLASHES.matcher(path).replaceAll("/");
        if (!collapsed.startsWith("/")) {
            collapsed = "/" + collapsed;
        }
        return collapsed.equals("/api") || collapsed.startsWith("/api/");
    }
}
