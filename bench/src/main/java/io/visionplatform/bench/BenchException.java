package io.visionplatform.bench;

/** An error that ends the run with a one-line message (exit status 1), no stack trace. */
final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message, null, false, false);
    }
}
