package io.visionplatform.training.rest;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.training.service.TrainingService;

/** A model's training: status of its latest run, its console, and cancel. */
@Path("/api/models/{modelId}/training")
@Produces(MediaType.APPLICATION_JSON)
public class ModelTrainingResource {

    private final TrainingService training;
    private final CurrentIdentity caller;

    public ModelTrainingResource(TrainingService training, CurrentIdentity caller) {
        this.training = training;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Status of the model's latest run: progress, timing, latest and per-epoch metrics, error")
    public Uni<ApiResponse<TrainingRunView>> status(@PathParam("modelId") String modelId) {
        return training.status(caller.accountId(), modelId)
                .map(ApiResponse::of);
    }

    @DELETE
    @Operation(summary = "Cancel the model's active run; the trainer stops within one batch and keeps its best "
            + "checkpoint")
    public Uni<ApiResponse<TrainingRunView>> cancel(@PathParam("modelId") String modelId) {
        return training.cancel(caller.accountId(), modelId)
                .map(ApiResponse::of);
    }

    @GET
    @Path("/logs")
    @Operation(summary = "The trainer's console output of the latest run, in order")
    public Uni<ApiResponse<List<LogChunkView>>> logs(@PathParam("modelId") String modelId,
            @QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return training.logs(caller.accountId(), modelId, page, limit);
    }
}
