package io.visionplatform.vision.pt;

/** The pickle stream is malformed or truncated, or uses an opcode or a value shape this reader does not accept. */
public class PickleException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public PickleException(String message) {
        super(message);
    }

    public PickleException(String message, Throwable cause) {
        super(message, cause);
    }
}
