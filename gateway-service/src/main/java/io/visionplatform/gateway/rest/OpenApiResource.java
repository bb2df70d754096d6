package io.visionplatform.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.visionplatform.gateway.service.OpenApiAggregator;

@Path("/api/openapi.json")
public class OpenApiResource {

    private final OpenApiAggregator aggregator;

    public OpenApiResource(OpenApiAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The whole platform's OpenAPI document (gateway and every service)")
    public Uni<JsonObject> document() {
        return aggregator.document();
    }
}
