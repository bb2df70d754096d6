package io.visionplatform.vision.onnx;

/** The bytes are not a well-formed ONNX {@code ModelProto}. */
public final class OnnxFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String message) {
        super(message);
    }
}
