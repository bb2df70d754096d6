package io.visionplatform.training.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/training/start}. The image size must also be a multiple of 32 and the GPU type one of the
 * catalogue's; those two are checked by the service, which knows the catalogue.
 */
public record StartTrainingRequest(
        @NotBlank @Size(max = 100) String modelId,
        @NotBlank @Size(max = 100) String datasetId,
        @NotNull @Min(1) @Max(1000) Integer epochs,
        @NotNull @Min(32) @Max(1280) Integer imageSize,
        @NotBlank @Size(max = 50) String gpuType) {
}
