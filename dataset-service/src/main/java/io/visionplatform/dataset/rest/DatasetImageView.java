package io.visionplatform.dataset.rest;

import java.time.Instant;
import java.util.List;

/** One image of a dataset with its labels (Ultralytics rows for the dataset's task) and short-lived signed URLs. */
public record DatasetImageView(
        String id,
        String file,
        String split,
        int width,
        int height,
        long bytes,
        String contentHash,
        List<List<Number>> annotations,
        String url,
        String thumbnailUrl,
        Instant createdAt) {
}
