package io.visionplatform.vision.pt;

/**
 * The pickle stream asks for more than {@link PickleReader.Limits} allow (a string, memo, stack, container or pickle
 * size). Refused before anything of that size is allocated.
 */
public class PickleLimitException extends PickleException {

    private static final long serialVersionUID = 1L;

    public PickleLimitException(String message) {
        super(message);
    }
}
