package io.visionplatform.dataset.rest;

import java.time.Instant;
import java.util.List;

/**
 * A numbered dataset version and a signed URL of its NDJSON file (Ultralytics format); the image URLs inside
 * stay valid as long as the file's own URL.
 */
public record DatasetExportView(
        String datasetId,
        int version,
        String url,
        Instant expiresAt,
        String fileName,
        int imageCount,
        List<String> classNames,
        Long bytes,
        Instant createdAt,
        Instant renderedAt) {
}
