package io.visionplatform.dataset.ingest;

/** One image cannot be used (undecodable, truncated, too many pixels, unsupported format); the reason says why. */
public class BadImageException extends Exception {

    public BadImageException(String reason) {
        super(reason);
    }
}
