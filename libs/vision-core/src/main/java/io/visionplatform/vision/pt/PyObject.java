package io.visionplatform.vision.pt;

import java.util.Map;

/**
 * A Python object for {@link PickleWriter}: pickled as {@code cls.__new__(cls)} then {@code __setstate__(state)}
 * ({@code GLOBAL}, {@code EMPTY_TUPLE}, {@code NEWOBJ}, {@code BUILD}), the way {@code nn.Module}s and most plain
 * Python objects are pickled. {@code state} becomes the object's {@code __dict__}; its order is kept. The same instance
 * written twice is one shared object in the pickle.
 */
public record PyObject(PickleGlobal type, Map<String, Object> state) {

    /** An object of class {@code module.name}. */
    public static PyObject of(String module, String name, Map<String, Object> state) {
        return new PyObject(new PickleGlobal(module, name), state);
    }
}
