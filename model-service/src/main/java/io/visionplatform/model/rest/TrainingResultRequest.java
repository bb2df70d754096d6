package io.visionplatform.model.rest;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** What a finished (or cancelled) run tells the model: its metrics and class names. */
public record TrainingResultRequest(
        @NotBlank @Size(max = 100) String runId,
        Map<String, Object> metrics,
        @Size(max = 10000) List<String> classNames,
        @Min(32) @Max(4096) Integer imgsz) {
}
