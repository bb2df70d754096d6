package io.visionplatform.dataset.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A dataset as the contract shows it (plus the counts and status a client needs). */
public record DatasetView(
        String id,
        String name,
        String slug,
        String description,
        String task,
        int imageCount,
        int classCount,
        int annotationCount,
        List<String> classNames,
        Map<String, Integer> splits,
        long totalBytes,
        String visibility,
        String status,
        Instant createdAt,
        Instant updatedAt) {
}
