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
import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.pt.DType;
import io.visionplatform.vision.pt.PickledObject;
import io.visionplatform.vision.pt.Tensor;

/**
 * The checkpoint's state dict as both the DJL network builder and the ONNX exporter consume it: every tensor is taken
 * by its PyTorch name with the shape the architecture predicts (a different shape means the architecture was resolved
 * wrongly, and loading fails), converted to float32, and remembered, so that the caller can prove afterwards that
 * nothing was left over; plus the recorded module attributes (activation classes, BatchNorm eps, flags), found by
 * walking {@code _modules} from the root so that modules shared between several paths (Ultralytics' class-level
 * default activation) are found under each of them. Pure Java: the exporter uses it without starting libtorch.
 */
public final class StateDictWeights {

    static final String SILU = "torch.nn.modules.activation.SiLU";
    static final String IDENTITY = "torch.nn.modules.linear.Identity";
    /** Ultralytics builds every BatchNorm of Conv with this eps. */
    static final double DEFAULT_BN_EPS = 1e-3;

    private final Map<String, Tensor> stateDict;
    private final Set<String> parameterNames;
    private final Map<String, PickledObject> modules;
    private final Set<String> consumed = new LinkedHashSet<>();
    private long parameterElements;

    public StateDictWeights(Checkpoint checkpoint) {
        this.stateDict = checkpoint.stateDict();
        this.parameterNames = checkpoint.parameters().keySet();
        this.modules = checkpoint.modules();
    }

    /** A Conv2d (no bias) + BatchNorm2d pair folded into one convolution's weight and bias. */
    public record FoldedConv(float[] weight, float[] bias) {
    }

    /** The values of tensor {@code name} as float32, row-major, after checking its shape. */
    public float[] take(String name, long... shape) {
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

    /**
     * Ultralytics' Conv at {@code prefix}: its Conv2d weight {@code [c2, c1 / g, k, k]} and BatchNorm2d, folded as
     * {@code W' = W * gamma / sqrt(var + eps)}, {@code b' = beta - gamma * mean / sqrt(var + eps)} in float32, the
     * arithmetic both the DJL network and the ONNX export must share to agree bit for bit.
     */
    public FoldedConv foldedConv(String prefix, int c1, int c2, int k, int g) {
        if (c1 % g != 0 || c2 % g != 0) {
            throw new ModelLoadException(prefix + ": channels " + c1 + " -> " + c2 + " not divisible by groups " + g);
        }
        float[] kernel = take(prefix + ".conv.weight", c2, c1 / g, k, k);
        float[] gamma = take(prefix + ".bn.weight", c2);
        float[] beta = take(prefix + ".bn.bias", c2);
        float[] mean = take(prefix + ".bn.running_mean", c2);
        float[] var = take(prefix + ".bn.running_var", c2);
        takeIfPresent(prefix + ".bn.num_batches_tracked");
        float eps = (float) moduleNumber(prefix + ".bn", "eps", DEFAULT_BN_EPS);
        int per = kernel.length / c2;
        float[] bias = new float[c2];
        for (int o = 0; o < c2; o++) {
            float std = (float) Math.sqrt(var[o] + eps);
            float scale = gamma[o] / std;
            for (int j = 0; j < per; j++) {
                kernel[o * per + j] *= scale;
            }
            bias[o] = beta[o] - gamma[o] * mean[o] / std;
        }
        return new FoldedConv(kernel, bias);
    }

    /**
     * Whether the Conv at {@code prefix} applies SiLU: {@code dflt} (the architecture's answer) unless the checkpoint
     * records its own {@code act} module (e.g. SPPF's first Conv had SiLU in older Ultralytics releases, none in newer).
     */
    public boolean silu(String prefix, boolean dflt) {
        String cls = moduleClass(prefix + ".act");
        if (cls == null) {
            return dflt;
        }
        return switch (cls) {
            case SILU -> true;
            case IDENTITY -> false;
            default -> throw new ModelLoadException(prefix + ".act: activation " + cls + " is not supported");
        };
    }

    public boolean has(String name) {
        return stateDict.containsKey(name);
    }

    /** The class name of module {@code path} ({@code model.9.cv1.act}, ...), or null when the checkpoint lacks it. */
    public String moduleClass(String path) {
        PickledObject m = module(path);
        return m == null ? null : m.className();
    }

    /** Fails when the checkpoint records module {@code prefix} as another class than the layer the yaml names. */
    public void checkLayerClass(String prefix, YoloArchitecture.Layer layer) {
        String recorded = moduleClass(prefix);
        if (recorded != null && !recorded.endsWith("." + layer.className())) {
            throw new ModelLoadException(prefix + " is a " + recorded + " in the checkpoint, the yaml says "
                    + layer.module());
        }
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
    public double moduleNumber(String path, String attribute, double dflt) {
        PickledObject m = module(path);
        return m != null && m.attribute(attribute) instanceof Number n ? n.doubleValue() : dflt;
    }

    /** Fails when the checkpoint records a boolean attribute that disagrees with the architecture. */
    public void checkFlag(String path, String attribute, boolean expected) {
        PickledObject m = module(path);
        if (m != null && m.attribute(attribute) instanceof Boolean recorded && recorded != expected) {
            throw new ModelLoadException(path + "." + attribute + " is " + recorded + " in the checkpoint, but the "
                    + "architecture resolved from the yaml gives " + expected);
        }
    }

    /** Fails when the checkpoint's SPPF at {@code prefix} records another pool count than the yaml. */
    public void checkSppf(String prefix, int n) {
        double recordedN = moduleNumber(prefix, "n", n);
        if (recordedN != n) {
            throw new ModelLoadException(prefix + ": the checkpoint's SPPF has n=" + recordedN + ", the yaml " + n);
        }
    }

    /** Fails when the checkpoint's attention at {@code prefix} records another geometry than the yaml implies. */
    public void checkAttention(String prefix, AttentionGeometry geometry) {
        int heads = geometry.heads();
        int keyDim = geometry.keyDim();
        int headDim = geometry.headDim();
        if (moduleNumber(prefix, "num_heads", heads) != heads || moduleNumber(prefix, "key_dim", keyDim) != keyDim
                || moduleNumber(prefix, "head_dim", headDim) != headDim) {
            throw new ModelLoadException(prefix + ": the checkpoint's attention geometry differs from the yaml's");
        }
    }

    /** Fails when the checkpoint's Detect at {@code prefix} records another nc, reg_max or level count. */
    public void checkDetect(String prefix, YoloArchitecture.DetectSpec spec) {
        int nl = spec.ch().size();
        if (moduleNumber(prefix, "reg_max", spec.regMax()) != spec.regMax()
                || moduleNumber(prefix, "nc", spec.nc()) != spec.nc()
                || moduleNumber(prefix, "nl", nl) != nl) {
            throw new ModelLoadException(prefix + ": the checkpoint's Detect (nc, reg_max, nl) differs from the yaml's "
                    + spec);
        }
    }

    long parameterElements() {
        return parameterElements;
    }

    int consumedCount() {
        return consumed.size();
    }

    /**
     * Fails when state-dict tensors were left over, except those starting with one of {@code ignoredPrefixes} (the
     * branches of a head that is not built).
     */
    public void requireAllTaken(List<String> ignoredPrefixes) {
        List<String> left = new ArrayList<>();
        for (String name : stateDict.keySet()) {
            if (!consumed.contains(name) && ignoredPrefixes.stream().noneMatch(name::startsWith)) {
                left.add(name);
            }
        }
        if (!left.isEmpty()) {
            throw new ModelLoadException(left.size() + " checkpoint tensors are not used by the architecture "
                    + "resolved from its yaml, e.g. " + left.subList(0, Math.min(5, left.size())));
        }
    }
}
