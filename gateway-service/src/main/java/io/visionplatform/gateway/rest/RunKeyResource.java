package io.visionplatform.gateway.rest;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.gateway.auth.Authenticator;
import io.visionplatform.gateway.auth.IdentityTokenIssuer;
import io.visionplatform.gateway.service.ApiKeyService;

/**
 * Run-scoped keys for training-service, outside {@code /api} (no route, no rate limit). Issuing needs the identity
 * token the gateway minted for the user's request (only services hold one), so a key is only ever issued for the
 * account that asked for the training; revoking needs the run's key itself, so training-service can end it long
 * after that request.
 */
@Path("/internal/run-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RunKeyResource {

    private static final long DEFAULT_TTL_SECONDS = Duration.ofDays(7).toSeconds();

    private final ApiKeyService apiKeys;
    private final IdentityTokenIssuer identityTokens;
    private final Authenticator authenticator;

    public RunKeyResource(ApiKeyService apiKeys, IdentityTokenIssuer identityTokens, Authenticator authenticator) {
        this.apiKeys = apiKeys;
        this.identityTokens = identityTokens;
        this.authenticator = authenticator;
    }

    @POST
    @ResponseStatus(201)
    @Operation(hidden = true)
    public Uni<RunKeyView> issue(@Valid @NotNull IssueRunKeyRequest request,
            @HeaderParam(InternalIdentity.HEADER) String identityToken) {
        if (identityToken == null || identityToken.isBlank()) {
            throw PlatformException.unauthorized("A run key is issued only to a platform service");
        }
        InternalIdentity caller = identityTokens.verify(identityToken.trim());
        long ttl = request.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : request.ttlSeconds();
        return apiKeys.issueRunKey(caller.accountId(), request.runId(), Duration.ofSeconds(ttl));
    }

    @DELETE
    @Path("/{runId}")
    @Operation(hidden = true)
    public Uni<Map<String, Object>> revoke(@PathParam("runId") String runId,
            @HeaderParam("Authorization") String authorization) {
        return authenticator.authenticate(authorization)
                .chain(presenter -> apiKeys.revokeRunKey(presenter, runId))
                .replaceWith(Map.of("revoked", true, "runId", runId));
    }
}
