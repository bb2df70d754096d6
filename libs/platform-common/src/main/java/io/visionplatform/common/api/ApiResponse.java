package io.visionplatform.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The contract's success envelope: {@code {"success": true, "data": ..., "meta": {...}}}.
 * {@code meta} is only present on paged lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse<T>(boolean success, T data, PageMeta meta) {

    public static <T> ApiResponse<T> of(T data) {
        return new ApiResponse<>(true, data, null);
    }

    public static <T> ApiResponse<T> page(T items, PageMeta meta) {
        return new ApiResponse<>(true, items, meta);
    }
}
