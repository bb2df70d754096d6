package io.visionplatform.gateway.rest;

import java.time.Instant;

/** A run-scoped key as issued to training-service: the secret appears only here. */
public record RunKeyView(String id, String key, String runId, Instant expiresAt) {
}
