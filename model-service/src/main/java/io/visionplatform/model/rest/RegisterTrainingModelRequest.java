package io.visionplatform.model.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An SDK run's {@code project} ("user/slug" or "slug") and {@code name}: training-service asks for the model. */
public record RegisterTrainingModelRequest(
        @NotBlank @Size(max = 200) String project,
        @NotBlank @Size(max = 100) String name) {
}
