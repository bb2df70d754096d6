package io.visionplatform.gateway.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** training-service asks for a key for one run, valid at most 30 days. */
public record IssueRunKeyRequest(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be a run id") String runId,
        @Min(60) @Max(2_592_000) Long ttlSeconds) {
}
