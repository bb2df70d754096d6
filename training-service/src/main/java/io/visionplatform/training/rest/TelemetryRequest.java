package io.visionplatform.training.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the SDK (or our worker) posts to {@code /api/webhooks/training/metrics}: an event, its data, and the model
 * by id once known, by {@code project} ("user/slug") and {@code name} before.
 */
public record TelemetryRequest(
        @NotBlank @Size(max = 64) String event,
        JsonNode data,
        @Size(max = 100) String modelId,
        @Size(max = 200) String project,
        @Size(max = 200) String name) {
}
