package io.visionplatform.dataset.rest;

/** How many trashed items were deleted for good. */
public record EmptiedView(int deleted) {
}
