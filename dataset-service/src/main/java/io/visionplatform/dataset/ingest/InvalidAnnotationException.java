package io.visionplatform.dataset.ingest;

/** One annotation row or label line breaks the task's rules; the message says how. */
final class InvalidAnnotationException extends Exception {

    InvalidAnnotationException(String message) {
        super(message);
    }
}
