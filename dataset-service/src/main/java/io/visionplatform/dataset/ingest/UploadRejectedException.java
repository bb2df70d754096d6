package io.visionplatform.dataset.ingest;

import java.util.Map;

/** The whole upload is refused (zip bomb, unsafe entry names, no images, ...); nothing of it is kept. */
public class UploadRejectedException extends RuntimeException {

    private final Map<String, Object> details;

    public UploadRejectedException(String message, Map<String, Object> details) {
        super(message);
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Map<String, Object> details() {
        return details;
    }
}
