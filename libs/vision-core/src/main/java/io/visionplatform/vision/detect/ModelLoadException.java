package io.visionplatform.vision.detect;

/** The model file cannot be loaded, or is not an Ultralytics detection model this library can run. */
public class ModelLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
