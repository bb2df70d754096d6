package io.visionplatform.common.trash;

import java.time.Instant;

/** One trashed item as the gateway's {@code /api/trash} lists it. */
public record TrashItemView(String id, String type, String name, Instant deletedAt, Instant purgeAfter, long bytes) {
}
