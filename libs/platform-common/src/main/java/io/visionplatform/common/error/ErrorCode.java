package io.visionplatform.common.error;

/**
 * The six error codes of the public contract, each with the HTTP status a client sees by default.
 * A few HTTP situations keep their own status with the nearest code (405, 413, 415 → VALIDATION_ERROR;
 * 503 → INTERNAL_ERROR), see docs/adr/0002-error-envelope.md.
 */
public enum ErrorCode {
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    VALIDATION_ERROR(400),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code a client should read for an HTTP status that did not come from our own exceptions. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 429 -> RATE_LIMITED;
            default -> status >= 500 ? INTERNAL_ERROR : VALIDATION_ERROR;
        };
    }
}
