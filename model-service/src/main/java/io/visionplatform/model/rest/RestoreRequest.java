package io.visionplatform.model.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** The contract's restore body: {@code {"itemId": "model_…", "type": "model"}}. */
public record RestoreRequest(
        @NotBlank String itemId,
        @NotBlank @Pattern(regexp = "project|model", message = "this service restores projects and models") String type) {
}
