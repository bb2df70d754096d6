package io.visionplatform.common.error;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The contract's error envelope: {@code {"success": false, "error": {"code", "message", "details"}}}.
 * The request id is echoed in the body as well as in the {@code X-Request-Id} header.
 */
public record ErrorResponse(boolean success, Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String code, String message, Map<String, Object> details, String requestId) {
    }

    public static ErrorResponse of(ErrorCode code, String message, Map<String, Object> details, String requestId) {
        return new ErrorResponse(false, new Body(code.name(), message, details, requestId));
    }
}
