package io.visionplatform.common.trash;

/** How many trashed items were deleted for good. */
public record EmptiedView(int deleted) {
}
