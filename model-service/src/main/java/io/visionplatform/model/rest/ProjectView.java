package io.visionplatform.model.rest;

import java.time.Instant;

/** A project as the contract shows it, with its number of live models. */
public record ProjectView(String id, String name, String slug, String description, long modelCount,
        Instant createdAt, Instant updatedAt) {
}
