package io.visionplatform.vision.detect;

/** ONNX Runtime failed while running a loaded model. */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
