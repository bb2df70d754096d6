package io.visionplatform.vision.pt;

/**
 * The pickle names a global that is not on the allow-list (e.g. {@code os.system}, {@code builtins.eval},
 * {@code subprocess.Popen}), or asks to call something that is not one of the few functions the reader emulates. Nothing
 * is ever imported or executed: the stream is refused when the global is named, before any argument is looked at.
 */
public class UnsafePickleException extends PickleException {

    private static final long serialVersionUID = 1L;

    public UnsafePickleException(String message) {
        super(message);
    }
}
