package io.visionplatform.training.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.training.service.TelemetryService;

/**
 * The SDK's training telemetry. Answers bare JSON (no envelope): the SDK reads {@code modelId} and {@code cancelled}
 * at the top; errors still answer in the envelope.
 */
@Path("/api/webhooks/training/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TelemetryResource {

    private final TelemetryService telemetry;
    private final CurrentIdentity caller;

    public TelemetryResource(TelemetryService telemetry, CurrentIdentity caller) {
        this.telemetry = telemetry;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "One training event (training_started, epoch_end, console_output, checkpoint_saved, "
            + "training_complete, training_failed)")
    public Uni<TelemetryResponse> event(@Valid @NotNull TelemetryRequest request,
            @HeaderParam(InternalIdentity.HEADER) String identityToken) {
        return telemetry.handle(caller.get(), identityToken, request);
    }
}
