package io.visionplatform.common.api;

/** Pagination figures carried in the envelope's {@code meta} of list endpoints. */
public record PageMeta(int page, int limit, long total) {
}
