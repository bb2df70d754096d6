package io.visionplatform.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.gateway.service.AccountService;
import io.visionplatform.gateway.service.ApiKeyService;

/**
 * Turns a bearer credential into a {@link Principal}: {@code ul_…} API keys are checked by the gateway
 * itself; anything else must be a Keycloak-issued JWT, verified by quarkus-oidc on demand (proactive HTTP
 * authentication is off, so an API key never reaches the OIDC layer).
 */
@ApplicationScoped
public class Authenticator {

    private static final String BEARER = "Bearer ";

    private final ApiKeyService apiKeys;
    private final AccountService accounts;
    private final TenantIdentityProvider oidc;

    public Authenticator(ApiKeyService apiKeys, AccountService accounts, TenantIdentityProvider oidc) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
        this.oidc = oidc;
    }

    /** Fails with UNAUTHORIZED when the header is missing, malformed or its credential is not valid. */
    public Uni<Principal> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom()
                    .failure(PlatformException.unauthorized("Missing API key: send Authorization: Bearer ul_…"));
        }
        String credential = authorizationHeader.substring(BEARER.length()).trim();
        if (credential.startsWith("ul_")) {
            return apiKeys.authenticate(credential);
        }
        return oidc.authenticate(new AccessTokenCredential(credential))
                .onFailure()
                .transform(failure -> PlatformException.unauthorized("Invalid or expired token"))
                .chain(this::accountOf);
    }

    private Uni<Principal> accountOf(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getSubject() == null) {
            return Uni.createFrom().failure(PlatformException.unauthorized("Token carries no subject"));
        }
        return accounts.principalForOidcUser(token.getSubject(), token.getClaim("preferred_username"),
                token.getClaim("email"), identity.hasRole("admin"));
    }
}
