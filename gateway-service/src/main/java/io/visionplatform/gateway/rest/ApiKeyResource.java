package io.visionplatform.gateway.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.gateway.proxy.GatewayFilter;
import io.visionplatform.gateway.service.ApiKeyService;

@Path("/api/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final ApiKeyService apiKeys;

    public ApiKeyResource(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GET
    @Operation(summary = "List the caller's API keys (display prefix only, never the secret)")
    public Uni<ApiResponse<List<ApiKeyView>>> list(RoutingContext context) {
        return apiKeys.list(GatewayFilter.principal(context).accountId())
                .map(ApiResponse::of);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create an API key; the full key appears only in this response")
    public Uni<ApiResponse<ApiKeyView>> create(@Valid @NotNull CreateApiKeyRequest request, RoutingContext context) {
        return apiKeys.create(GatewayFilter.principal(context), request)
                .map(ApiResponse::of);
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke an API key; it stops working within a second on every gateway replica")
    public Uni<ApiResponse<Void>> revoke(@PathParam("keyId") String keyId, RoutingContext context) {
        return apiKeys.revoke(GatewayFilter.principal(context).accountId(), keyId)
                .replaceWith(ApiResponse.of(null));
    }
}
