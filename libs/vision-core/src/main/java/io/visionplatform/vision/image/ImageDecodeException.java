package io.visionplatform.vision.image;

/** The bytes are not an image this decoder can read (unknown format, truncated, or an unsupported colour model). */
public class ImageDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
