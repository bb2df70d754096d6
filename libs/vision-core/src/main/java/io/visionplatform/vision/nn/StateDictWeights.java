package io.visionplatform.vision.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.pt.DType;
import io.visionplatform.vision.pt.PickledObject;
import io.visionplatform.vision.pt.Tensor;

/**
 * The checkpoint's state dict as the network builder consumes it: every tensor is taken by its PyTorch name with the
 * shape the architecture predicts (a different shape means the architecture was resolved wrongly, and loading fails),
 * converted to float32, and remembered, so that the builder can prove afterwards that nothing was left over.
 */
final class StateDictWeights {

    private final Map<String, Tensor> stateDict;
    private final Set<String> parameterNames;
    private final Map<String, PickledObject> modules;
    private final Set<String> consumed = new LinkedHashSet<>();
    private long parameterElements;

    StateDictWeights(Map<String, Tensor> stateDict, Set<String> parameterNames, Map<String, PickledObject> modules) {
        this.stateDict = stateDict;
        this.parameterNames = parameterNames;
        this.modules = modules;
    }

    /** The values of tensor {@code name} as float32, row-major, after checking its shape. */
    float[] take(String name, long... shape) {
        Tensor t = require(name, shape);
        if (t.dtype() != DType.FLOAT16 && t.dtype() != DType.FLOAT32 && t.dtype() != DType.BFLOAT16
                && t.dtype() != DType.FLOAT64) {
            throw new ModelLoadException("tensor " + name + " is " + t.dtype() + ", expected a floating-point type");
        }
        try {
            float[] values = t.toFloatArray();
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw new ModelLoadException("tensor " + name + " holds a non-finite value");
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor " + name + ": " + e.getMessage(), e);
        }
    }

    /** Marks {@code name} as used when the checkpoint has it (e.g. BatchNorm's {@code num_batches_tracked}). */
    void takeIfPresent(String name, long... shape) {
        if (stateDict.containsKey(name)) {
            require(name, shape);
        }
    }

    private Tensor require(String name, long... shape) {
        Tensor t = stateDict.get(name);
        if (t == null) {
            throw new ModelLoadException("the checkpoint has no tensor " + name
                    + " (the architecture resolved from its yaml does not match its weights)");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelLoadException("tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + " but the architecture resolved from the yaml needs " + Arrays.toString(shape));
        }
        if (!consumed.add(name)) {
            throw new IllegalStateException("tensor " + name + " consumed twice");
        }
        if (parameterNames.contains(name)) {
            parameterElements += t.numel();
        }
        return t;
    }

    boolean has(String name) {
        return stateDict.containsKey(name);
    }

    /** The class name of module {@code path} ({@code model.9.cv1.act}, ...), or null when the checkpoint lacks it. */
    String moduleClass(String path) {
        PickledObject m = module(path);
        return m == null ? null : m.className();
    }

    /** The module at {@code path}, found by walking {@code _modules} from the root (shared modules included). */
    PickledObject module(String path) {
        PickledObject m = modules.get(path);
        if (m != null) {
            return m;
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        PickledObject parent = module(path.substring(0, dot));
        if (parent != null && parent.attribute("_modules") instanceof Map<?, ?> children
                && children.get(path.substring(dot + 1)) instanceof PickledObject child) {
            return child;
        }
        return null;
    }

    /** A numeric attribute of module {@code path}, or {@code dflt}. */
    double moduleNumber(String path, String attribute, double dflt) {
        PickledObject m = module(path);
        return m != null && m.attribute(attribute) instanceof Number n ? n.doubleValue() : dflt;
    }

    long parameterElements() {
        return parameterElements;
    }

    int consumedCount() {
        return consumed.size();
    }

    /** State-dict names no layer took, in state-dict order. */
    List<String> unconsumed() {
        List<String> out = new ArrayList<>();
        for (String name : stateDict.keySet()) {
            if (!consumed.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
