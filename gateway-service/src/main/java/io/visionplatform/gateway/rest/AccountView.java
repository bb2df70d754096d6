package io.visionplatform.gateway.rest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The caller's account, as {@code GET /api/settings} shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountView(
        String id,
        String username,
        String email,
        String plan,
        String role,
        String status,
        RateLimitView rateLimits,
        Instant createdAt) {

    public record RateLimitView(int perMinute, int perDay) {
    }
}
