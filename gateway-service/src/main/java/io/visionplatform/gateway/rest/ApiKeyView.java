package io.visionplatform.gateway.rest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An API key as listed: never the secret, only its display prefix. {@code key} is set once, on creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(
        String id,
        String name,
        List<String> scopes,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        String key) {
}
