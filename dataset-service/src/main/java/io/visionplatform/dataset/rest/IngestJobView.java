package io.visionplatform.dataset.rest;

import java.time.Instant;
import java.util.List;

import io.visionplatform.dataset.ingest.FileProblem;

/**
 * An ingest job: where it stands and what it did. {@code errors} names each skipped file with its reason (the
 * first 1,000; {@code failed} counts them all).
 */
public record IngestJobView(
        String id,
        String datasetId,
        String state,
        String format,
        int total,
        int processed,
        int added,
        int duplicates,
        int failed,
        long addedBytes,
        List<FileProblem> errors,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {
}
