package io.visionplatform.vision.metadata;

/** A metadata value is not a Python literal this parser accepts, or does not have the expected shape. */
public class MetadataFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public MetadataFormatException(String message) {
        super(message);
    }

    public MetadataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
