package io.visionplatform.vision.nn;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import io.visionplatform.vision.pt.PickleGlobal;
import io.visionplatform.vision.pt.PyObject;
import io.visionplatform.vision.pt.PyOrderedDict;

/**
 * An {@code nn.Module} being assembled for pickling: its class, parameters, buffers, child modules and plain
 * attributes. {@link #toPyObject} gives the object PyTorch would pickle, its {@code __dict__} holding the bookkeeping
 * fields {@code Module.__init__} sets (hook dicts and the like, which {@code torch.load} expects to find) followed by
 * the module's own attributes. A module added under several parents is one shared object in the pickle.
 */
final class TorchModule {

    private final PickleGlobal type;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> buffers = new LinkedHashMap<>();
    private final Map<String, TorchModule> children = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    /** A module of class {@code qualifiedName}, e.g. {@code torch.nn.modules.conv.Conv2d}. */
    TorchModule(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        this.type = new PickleGlobal(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    String className() {
        return type.qualifiedName();
    }

    /** A parameter ({@code TorchParameter}) or None (e.g. Conv2d's absent bias). */
    TorchModule parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    TorchModule buffer(String name, Object value) {
        buffers.put(name, value);
        return this;
    }

    TorchModule child(String name, TorchModule module) {
        children.put(name, module);
        return this;
    }

    TorchModule attribute(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    /** The pickled form; {@code done} maps modules already converted, so shared ones stay shared. */
    PyObject toPyObject(Map<TorchModule, PyObject> done) {
        PyObject existing = done.get(this);
        if (existing != null) {
            return existing;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        PyObject self = new PyObject(type, state);
        done.put(this, self);
        state.put("training", false);
        state.put("_parameters", new PyOrderedDict(new LinkedHashMap<>(parameters)));
        state.put("_buffers", new PyOrderedDict(new LinkedHashMap<>(buffers)));
        state.put("_non_persistent_buffers_set", new LinkedHashSet<>());
        for (String hooks : new String[] { "_backward_pre_hooks", "_backward_hooks" }) {
            state.put(hooks, new PyOrderedDict(Map.of()));
        }
        state.put("_is_full_backward_hook", null);
        for (String hooks : new String[] { "_forward_hooks", "_forward_hooks_with_kwargs",
                "_forward_hooks_always_called", "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs",
                "_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
                "_load_state_dict_post_hooks" }) {
            state.put(hooks, new PyOrderedDict(Map.of()));
        }
        Map<String, Object> modules = new LinkedHashMap<>();
        for (Map.Entry<String, TorchModule> e : children.entrySet()) {
            modules.put(e.getKey(), e.getValue().toPyObject(done));
        }
        state.put("_modules", new PyOrderedDict(modules));
        state.putAll(attributes);
        return self;
    }

    /** A fresh conversion cache for {@link #toPyObject}. */
    static Map<TorchModule, PyObject> newCache() {
        return new IdentityHashMap<>();
    }
}
