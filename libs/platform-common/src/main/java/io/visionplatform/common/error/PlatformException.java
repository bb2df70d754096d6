package io.visionplatform.common.error;

import java.util.Map;
import java.util.Optional;

/**
 * The one exception type services throw for errors a client should see. The shared mappers turn it into
 * the contract's envelope; resources never build error bodies themselves.
 */
public class PlatformException extends RuntimeException {

    private final ErrorCode code;
    private final int status;
    private final Map<String, Object> details;
    private final Integer retryAfterSeconds;

    public PlatformException(ErrorCode code, int status, String message, Map<String, Object> details) {
        this(code, status, message, details, null);
    }

    private PlatformException(ErrorCode code, int status, String message, Map<String, Object> details,
            Integer retryAfterSeconds) {
        super(message);
        this.code = code;
        this.status = status;
        this.details = details == null ? Map.of() : Map.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public PlatformException(ErrorCode code, String message) {
        this(code, code.status(), message, Map.of());
    }

    public static PlatformException notFound(String resource, String id) {
        return new PlatformException(ErrorCode.NOT_FOUND, 404, resource + " not found",
                Map.of("resource", resource, "id", id));
    }

    public static PlatformException validation(String message, Map<String, Object> details) {
        return new PlatformException(ErrorCode.VALIDATION_ERROR, 400, message, details);
    }

    /** A single invalid field, reported the same way Bean Validation violations are. */
    public static PlatformException invalidField(String field, String problem) {
        return validation("Invalid " + field + ": " + problem, Map.of("fields", Map.of(field, problem)));
    }

    public static PlatformException unauthorized(String message) {
        return new PlatformException(ErrorCode.UNAUTHORIZED, message);
    }

    public static PlatformException forbidden(String message) {
        return new PlatformException(ErrorCode.FORBIDDEN, message);
    }

    public static PlatformException unavailable(String message) {
        return new PlatformException(ErrorCode.INTERNAL_ERROR, 503, message, Map.of());
    }

    /** 503 with {@code Retry-After}: the service is saturated, the request may be repeated after that long. */
    public static PlatformException busy(String message, int retryAfterSeconds) {
        return new PlatformException(ErrorCode.INTERNAL_ERROR, 503, message,
                Map.of("retryAfterSeconds", retryAfterSeconds), retryAfterSeconds);
    }

    /** Seconds for a {@code Retry-After} header, or empty. */
    public Optional<Integer> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }
}
