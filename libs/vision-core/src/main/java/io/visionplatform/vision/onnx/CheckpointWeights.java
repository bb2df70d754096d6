package io.visionplatform.vision.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.pt.DType;
import io.visionplatform.vision.pt.PickledObject;
import io.visionplatform.vision.pt.Tensor;

/**
 * The checkpoint's state dict as the exporter consumes it: each tensor taken once, by name, with the shape the
 * architecture implies (anything else fails the export), as float32; and the recorded module attributes (activation
 * classes, BatchNorm eps, flags) found by walking {@code _modules} from the root, so that modules shared between
 * several paths (Ultralytics' class-level default activation) are found under each of them.
 */
final class CheckpointWeights {

    private final Map<String, Tensor> stateDict;
    private final Map<String, PickledObject> modules;
    private final Set<String> consumed = new LinkedHashSet<>();

    CheckpointWeights(Checkpoint checkpoint) {
        this.stateDict = checkpoint.stateDict();
        this.modules = checkpoint.modules();
    }

    /** The values of {@code name} as float32, row-major, after checking its shape. */
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

    /** Marks {@code name} as used when present (BatchNorm's {@code num_batches_tracked}). */
    void takeIfPresent(String name) {
        if (stateDict.containsKey(name)) {
            consumed.add(name);
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
            throw new IllegalStateException("tensor " + name + " taken twice");
        }
        return t;
    }

    boolean has(String name) {
        return stateDict.containsKey(name);
    }

    String moduleClass(String path) {
        PickledObject m = module(path);
        return m == null ? null : m.className();
    }

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

    double moduleNumber(String path, String attribute, double dflt) {
        PickledObject m = module(path);
        return m != null && m.attribute(attribute) instanceof Number n ? n.doubleValue() : dflt;
    }

    /** Fails when the checkpoint records a boolean attribute that disagrees with the architecture. */
    void checkFlag(String path, String attribute, boolean expected) {
        PickledObject m = module(path);
        if (m != null && m.attribute(attribute) instanceof Boolean recorded && recorded != expected) {
            throw new ModelLoadException(path + "." + attribute + " is " + recorded + " in the checkpoint, but the "
                    + "architecture resolved from the yaml gives " + expected);
        }
    }

    /** State-dict names nobody took and that do not start with one of {@code ignoredPrefixes}. */
    List<String> unconsumed(List<String> ignoredPrefixes) {
        List<String> out = new ArrayList<>();
        for (String name : stateDict.keySet()) {
            if (!consumed.contains(name) && ignoredPrefixes.stream().noneMatch(name::startsWith)) {
                out.add(name);
            }
        }
        return out;
    }
}
