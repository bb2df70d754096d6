package io.visionplatform.common.storage;

/** The key names no object in the service's bucket. Services usually turn it into a 404 for their resource. */
public class ObjectNotFoundException extends RuntimeException {

    private final String key;

    public ObjectNotFoundException(String key, Throwable cause) {
        super("no object at key " + key, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
