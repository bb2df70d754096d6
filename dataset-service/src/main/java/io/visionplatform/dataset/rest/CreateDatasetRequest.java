package io.visionplatform.dataset.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record CreateDatasetRequest(
        @NotBlank @Size(max = 100) String name,
        @Pattern(regexp = "detect|segment|pose|obb|classify", message = "must be one of detect, segment, pose, obb, classify") String task,
        @Size(max = 2000) String description) {

    /** The contract's example always names a task; a client that leaves it out gets detection. */
    public String taskOrDefault() {
        return task == null ? "detect" : task;
    }
}
