package io.visionplatform.model.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.model.service.TrainingModelService;

/**
 * What training-service asks of the model service, with the caller's gateway token. Under {@code /api/internal/},
 * which the gateway's route table never routes: only services reach it.
 */
@Path("/api/internal/training/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalTrainingResource {

    private final TrainingModelService training;
    private final CurrentIdentity caller;

    public InternalTrainingResource(TrainingModelService training, CurrentIdentity caller) {
        this.training = training;
        this.caller = caller;
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "The model an SDK run names by project and name: project created when missing, model slug "
            + "renamed when taken")
    public Uni<ApiResponse<RegisteredTrainingModelView>> register(@Valid @NotNull RegisterTrainingModelRequest request) {
        return training.register(caller.get(), request)
                .map(ApiResponse::of);
    }

    @POST
    @Path("/{modelId}/result")
    @Operation(summary = "Record a run's metrics and class names on the trained model")
    public Uni<ApiResponse<ModelView>> result(@PathParam("modelId") String modelId,
            @Valid @NotNull TrainingResultRequest request) {
        return training.recordResult(caller.accountId(), modelId, request)
                .map(ApiResponse::of);
    }
}
