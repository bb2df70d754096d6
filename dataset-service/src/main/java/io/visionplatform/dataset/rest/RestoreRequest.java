package io.visionplatform.dataset.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** The contract's restore body: {@code {"itemId": "dataset_…", "type": "dataset"}}. */
public record RestoreRequest(
        @NotBlank String itemId,
        @NotBlank @Pattern(regexp = "dataset", message = "this service restores datasets only") String type) {
}
