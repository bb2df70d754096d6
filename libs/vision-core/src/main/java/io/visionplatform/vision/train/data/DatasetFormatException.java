package io.visionplatform.vision.train.data;

/** A dataset file (data.yaml, a label file, an NDJSON export) is not in the expected format; the message names where. */
public class DatasetFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<source>:<line>: <problem>"}, the shape compilers use, so the place reads first. */
    static DatasetFormatException at(Object source, int line, String problem) {
        return new DatasetFormatException(source + ":" + line + ": " + problem);
    }
}
