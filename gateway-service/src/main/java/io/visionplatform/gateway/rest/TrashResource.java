package io.visionplatform.gateway.rest;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.http.RequestIds;
import io.visionplatform.gateway.proxy.GatewayFilter;
import io.visionplatform.gateway.service.TrashService;

/** Soft-deleted resources of every service, kept 30 days. */
@Path("/api/trash")
@Produces(MediaType.APPLICATION_JSON)
public class TrashResource {

    private final TrashService trash;

    public TrashResource(TrashService trash) {
        this.trash = trash;
    }

    @GET
    @Operation(summary = "Everything in the caller's trash, most recently deleted first")
    public Uni<ApiResponse<List<Map<String, Object>>>> list(RoutingContext context) {
        return trash.list(GatewayFilter.principal(context), RequestIds.of(context))
                .map(ApiResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore an item from the trash")
    public Uni<Response> restore(@Valid @NotNull TrashRequest request, RoutingContext context) {
        return trash.restore(GatewayFilter.principal(context), RequestIds.of(context), request.itemId(), request.type())
                .map(answer -> Response.status(answer.status())
                        .entity(answer.body().encode())
                        .build());
    }

    @POST
    @Path("/empty")
    @Operation(summary = "Delete everything in the trash for good")
    public Uni<ApiResponse<Map<String, Integer>>> empty(RoutingContext context) {
        return trash.empty(GatewayFilter.principal(context), RequestIds.of(context))
                .map(deleted -> ApiResponse.of(Map.of("deleted", deleted)));
    }
}
