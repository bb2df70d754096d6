package io.visionplatform.gateway.rest;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** An admin creating an account; the answer carries the account and its first API key. */
public record CreateAccountRequest(
        @NotBlank @Size(min = 2, max = 39) @Pattern(regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?", message = "lowercase letters, digits and inner dashes only") String username,
        @Email String email,
        @Pattern(regexp = "free|pro|enterprise", message = "must be free, pro or enterprise") String plan,
        @PositiveOrZero Integer customPerMinute,
        @PositiveOrZero Integer customPerDay) {
}
