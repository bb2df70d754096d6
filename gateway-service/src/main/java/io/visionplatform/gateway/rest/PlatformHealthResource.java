package io.visionplatform.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.gateway.service.PlatformHealthService;

@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformHealthResource {

    private final PlatformHealthService healthService;

    public PlatformHealthResource(PlatformHealthService healthService) {
        this.healthService = healthService;
    }

    @GET
    @Operation(summary = "Readiness of the gateway and of every service behind it")
    public Uni<ApiResponse<PlatformHealth>> health() {
        return healthService.check()
                .map(ApiResponse::of);
    }
}
