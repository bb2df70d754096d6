package io.visionplatform.gateway.rest;

import jakarta.validation.constraints.NotBlank;

/** The contract's restore body: {@code {"itemId": "dataset_…", "type": "dataset"}}. */
public record TrashRequest(@NotBlank String itemId, @NotBlank String type) {
}
