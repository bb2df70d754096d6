package io.visionplatform.gateway.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.gateway.service.AccountService;

/** Account administration; the route table grants {@code /api/admin/**} to the admin scope only. */
@Path("/api/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    private final AccountService accounts;

    public AdminAccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create an account; the answer carries its first API key, shown only once")
    public Uni<ApiResponse<NewAccountView>> create(@Valid @NotNull CreateAccountRequest request) {
        return accounts.createWithFirstKey(request)
                .map(ApiResponse::of);
    }

    @GET
    @Path("/{accountId}")
    @Operation(summary = "One account")
    public Uni<ApiResponse<AccountView>> get(@PathParam("accountId") String accountId) {
        return accounts.get(accountId)
                .map(ApiResponse::of);
    }
}
