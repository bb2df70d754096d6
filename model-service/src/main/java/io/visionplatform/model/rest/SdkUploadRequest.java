package io.visionplatform.model.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The SDK's checkpoint upload request: the model by id, or by {@code project} ("user/slug") and {@code name}.
 */
public record SdkUploadRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = "[^/\\\\]+\\.(pt|onnx|torchscript)", message = "must be a .pt, .onnx or .torchscript file name") String filename,
        String modelId,
        @Pattern(regexp = "[^/]+/[^/]+", message = "must be user/project") String project,
        String name,
        String runId) {
}
