package io.visionplatform.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.gateway.proxy.GatewayFilter;
import io.visionplatform.gateway.service.AccountService;

/** The SDK's {@code yolo login} check: 200 with the caller's account for a valid key, 401 otherwise. */
@Path("/api/settings")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final AccountService accounts;

    public SettingsResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @GET
    @Operation(summary = "The caller's account and plan limits")
    public Uni<ApiResponse<AccountView>> settings(RoutingContext context) {
        return accounts.get(GatewayFilter.principal(context).accountId())
                .map(ApiResponse::of);
    }
}
