package io.visionplatform.model.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A model as the API shows it. */
public record ModelView(
        String id,
        String name,
        String slug,
        String projectId,
        String task,
        String status,
        List<String> classNames,
        int classCount,
        Integer imgsz,
        Integer stride,
        boolean end2end,
        String format,
        String architecture,
        Map<String, Object> metrics,
        long fileSize,
        Instant createdAt,
        Instant updatedAt) {
}
