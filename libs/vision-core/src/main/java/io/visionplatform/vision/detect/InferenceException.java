package io.visionplatform.vision.detect;

/** The runtime (ONNX Runtime, or DJL's PyTorch engine) failed while running a loaded model. */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
