package io.visionplatform.vision.pt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance of an allowed class (an {@code nn.Module}, an Ultralytics model or block, a namespace, ...) kept as plain
 * data: the class name, the arguments the pickle would have passed to it, and the state {@code BUILD} would have set.
 * No class is imported and no constructor or {@code __setstate__} runs. When the state is a dict (or a
 * {@code (dict, slots)} pair, as {@code copyreg} writes it) its entries are also available as {@link #attributes()}, the
 * object's {@code __dict__}.
 *
 * <p>
 * Equality is identity, as for Python objects without {@code __eq__}; {@code toString} shows only the class.
 */
public final class PickledObject {

    private final PickleGlobal type;
    private final List<Object> args;
    private final Map<String, Object> kwargs;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private Object state;

    PickledObject(PickleGlobal type, List<Object> args, Map<String, Object> kwargs) {
        this.type = type;
        this.args = Collections.unmodifiableList(args);
        this.kwargs = Collections.unmodifiableMap(kwargs);
    }

    /** The class, e.g. {@code ultralytics.nn.tasks.DetectionModel}. */
    public PickleGlobal type() {
        return type;
    }

    /** The qualified class name, e.g. {@code torch.nn.modules.conv.Conv2d}. */
    public String className() {
        return type.qualifiedName();
    }

    /** The positional arguments given to the class ({@code NEWOBJ}, {@code REDUCE}); usually empty for modules. */
    public List<Object> args() {
        return args;
    }

    /** Keyword arguments ({@code NEWOBJ_EX} only); usually empty. */
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    /** The last state set by {@code BUILD} as pickled (often the same dict as {@link #attributes()}), or null. */
    public Object state() {
        return state;
    }

    /** The object's attributes ({@code __dict__} and slots) from dict states, in pickle order. Read-only view. */
    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** One attribute, or null when absent (or None). */
    public Object attribute(String name) {
        return attributes.get(name);
    }

    public boolean hasAttribute(String name) {
        return attributes.containsKey(name);
    }

    /** {@code BUILD}: a dict updates the attributes, a {@code (dict or None, dict or None)} pair updates both. */
    void applyState(Object newState) throws PickleException {
        if (newState instanceof Map<?, ?> dict) {
            merge(dict);
        } else if (newState instanceof PyTuple pair && pair.size() == 2 && isDictOrNone(pair.get(0))
                && isDictOrNone(pair.get(1))) {
            merge((Map<?, ?>) pair.get(0));
            merge((Map<?, ?>) pair.get(1));
        }
        this.state = newState;
    }

    private static boolean isDictOrNone(Object o) {
        return o == null || o instanceof Map;
    }

    private void merge(Map<?, ?> dict) throws PickleException {
        if (dict == null) {
            return;
        }
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new PickleException("state of " + className() + " has a " + Describe.type(e.getKey())
                        + " attribute name; attribute names must be str");
            }
            attributes.put(key, e.getValue());
        }
    }

    @Override
    public String toString() {
        return "PickledObject[" + className() + "]";
    }
}
