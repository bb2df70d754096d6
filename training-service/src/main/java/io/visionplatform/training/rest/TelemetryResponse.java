package io.visionplatform.training.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to every telemetry event: {@code cancelled} always (true once the platform cancelled the run, which
 * stops the trainer); the model and run ids and the model's slug for training_started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelemetryResponse(String modelId, String runId, String modelSlug, boolean cancelled) {

    public static TelemetryResponse of(boolean cancelled) {
        return new TelemetryResponse(null, null, null, cancelled);
    }
}
