package io.visionplatform.common.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The envelope of every event on the platform's Kafka topics. {@code id} is what idempotent consumers
 * de-duplicate on; {@code subjectId} (the aggregate) is the Kafka key, so one aggregate's events stay in
 * order. {@code version} is the version of {@code data}'s shape for this {@code type}.
 */
public record PlatformEvent(
        UUID id,
        String type,
        int version,
        Instant time,
        String accountId,
        String subjectId,
        JsonNode data) {

    public static PlatformEvent create(String type, int version, String accountId, String subjectId, JsonNode data) {
        return new PlatformEvent(UUID.randomUUID(), type, version, Instant.now(), accountId, subjectId, data);
    }
}
