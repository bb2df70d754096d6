package io.visionplatform.common.trash;

import java.time.Instant;

/** What a soft delete answers: the item is in the trash until {@code purgeAfter}. */
public record DeletedView(String id, String type, Instant deletedAt, Instant purgeAfter) {
}
