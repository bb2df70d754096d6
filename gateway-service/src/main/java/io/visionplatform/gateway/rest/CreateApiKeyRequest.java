package io.visionplatform.gateway.rest;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record CreateApiKeyRequest(
        @NotBlank @Size(max = 100) String name,
        @NotEmpty @Size(max = 8) List<@NotBlank @Pattern(regexp = "read|write|datasets|models|training|deployments|billing|admin", message = "must be one of read, write, datasets, models, training, deployments, billing, admin") String> scopes) {
}
