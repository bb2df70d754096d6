package io.visionplatform.training.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.training.service.TrainingService;

@Path("/api/training")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrainingResource {

    private final TrainingService training;
    private final CurrentIdentity caller;

    public TrainingResource(TrainingService training, CurrentIdentity caller) {
        this.training = training;
        this.caller = caller;
    }

    @POST
    @Path("/start")
    @ResponseStatus(201)
    @Operation(summary = "Train a model on a dataset: the run is queued and started by the executor; a repeated "
            + "Idempotency-Key answers the run the first request made")
    public Uni<ApiResponse<TrainingRunView>> start(@Valid @NotNull StartTrainingRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 255) String idempotencyKey,
            @HeaderParam(InternalIdentity.HEADER) String identityToken) {
        return training.start(caller.get(), identityToken, request, idempotencyKey)
                .map(ApiResponse::of);
    }
}
