package io.visionplatform.model.rest;

import java.time.Instant;

/** One file of a model with a signed, expiring download URL. */
public record ModelFileView(String id, String kind, String format, String fileName, long bytes, String url,
        Instant expiresAt, Instant createdAt) {
}
