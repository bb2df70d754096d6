package io.visionplatform.vision.pt;

import java.io.IOException;

/**
 * A {@code .pt} file is not one this reader accepts: not a PyTorch zip archive, malformed or truncated, over one of the
 * configured limits, or internally inconsistent (a tensor view outside its storage, a storage entry of the wrong size).
 * The subclasses say more: {@link PickleException} (the pickle stream), {@link PickleLimitException} (a limit) and
 * {@link UnsafePickleException} (something the reader refuses to import or call).
 */
public class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
