package io.visionplatform.vision.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.visionplatform.vision.pt.PyTuple;
import io.visionplatform.vision.pt.TensorData;
import io.visionplatform.vision.pt.TorchParameter;

/**
 * The {@code model} {@code nn.Sequential} of an Ultralytics {@code DetectionModel}, rebuilt module by module from the
 * resolved architecture and a state dict with Ultralytics' names: each layer gets the class Ultralytics instantiates
 * ({@code ultralytics.nn.modules.block.C2f}, ...), the children its constructor creates in the same order (so the
 * state dict reads back in Ultralytics' order), the attributes its {@code forward} and our loader use ({@code add},
 * {@code c}, {@code n}, attention geometry, Detect's {@code nc}/{@code reg_max}/{@code stride}, ...) and the
 * per-layer {@code i}, {@code f}, {@code type}, {@code np} that {@code parse_model} sets. The channel arithmetic
 * mirrors {@link Blocks} and {@link DetectHead}; every tensor is checked against the shape it implies, and a tensor
 * left over or missing fails the build.
 */
final class UltralyticsModelTree {

    private static final String CONV = "ultralytics.nn.modules.conv.Conv";
    private static final String DWCONV = "ultralytics.nn.modules.conv.DWConv";
    private static final String BLOCK = "ultralytics.nn.modules.block.";
    private static final String SEQUENTIAL = "torch.nn.modules.container.Sequential";
    private static final String MODULE_LIST = "torch.nn.modules.container.ModuleList";
    private static final double BN_EPS = 1e-3;
    private static final double BN_MOMENTUM = 0.03;

    private final Map<String, TensorData> stateDict;
    private final Set<String> taken = new LinkedHashSet<>();
    private final TensorData detectStride;
    /** Ultralytics' {@code Conv.default_act}: one SiLU instance shared by every Conv, as in the pickles it writes. */
    private TorchModule silu = newSilu();
    private long parameterElements;

    private UltralyticsModelTree(Map<String, TensorData> stateDict, TensorData detectStride) {
        this.stateDict = stateDict;
        this.detectStride = detectStride;
    }

    /**
     * The {@code model} Sequential.
     *
     * @param rawFrom each layer's {@code from} as the definition writes it ({@code -1}, {@code [-1, 6]}, ...)
     * @param detectStride the Detect head's {@code stride} tensor
     * @throws IllegalArgumentException when the state dict does not match the architecture
     */
    static TorchModule build(YoloArchitecture architecture, List<?> rawFrom, Map<String, TensorData> stateDict,
            TensorData detectStride) {
        UltralyticsModelTree tree = new UltralyticsModelTree(stateDict, detectStride);
        TorchModule sequential = new TorchModule(SEQUENTIAL);
        for (YoloArchitecture.Layer layer : architecture.layers()) {
            long before = tree.parameterElements;
            TorchModule module = tree.layer("model." + layer.index(), layer);
            module.attribute("np", tree.parameterElements - before)
                    .attribute("i", (long) layer.index())
                    .attribute("f", rawFrom.get(layer.index()))
                    .attribute("type", module.className());
            if (layer.spec() instanceof YoloArchitecture.DetectSpec) {
                module.attribute("inplace", true);
            }
            sequential.child(Integer.toString(layer.index()), module);
        }
        tree.requireAllTaken();
        return sequential;
    }

    /** {@code DetectionModel.save}: the layers whose outputs later layers read other than as their direct input. */
    static List<Long> saved(List<?> rawFrom) {
        TreeSet<Long> save = new TreeSet<>();
        for (int i = 0; i < rawFrom.size(); i++) {
            Object f = rawFrom.get(i);
            for (Object x : f instanceof List<?> many ? many : List.of(f)) {
                long v = ((Number) x).longValue();
                if (v != -1) {
                    save.add(Math.floorMod(v, (long) i));
                }
            }
        }
        return new ArrayList<>(save);
    }

    private TorchModule layer(String p, YoloArchitecture.Layer layer) {
        YoloArchitecture.Spec spec = layer.spec();
        if (spec instanceof YoloArchitecture.ConvSpec s) {
            String cls = layer.module().equals("DWConv") ? DWCONV : CONV;
            return conv(p, cls, s.c1(), s.c2(), s.k(), s.s(), s.p(), s.g(), s.d(), s.act());
        } else if (spec instanceof YoloArchitecture.C2fSpec s) {
            int c = (int) (s.c2() * s.e());
            TorchModule m = new TorchModule(MODULE_LIST);
            for (int i = 0; i < s.n(); i++) {
                m.child(Integer.toString(i), bottleneck(p + ".m." + i, c, c, s.shortcut(), s.g(), 3, 3, 1.0));
            }
            return csp(p, "C2f", s.c1(), s.c2(), s.n(), c, m);
        } else if (spec instanceof YoloArchitecture.C3k2Spec s) {
            int c = (int) (s.c2() * s.e());
            TorchModule m = new TorchModule(MODULE_LIST);
            for (int i = 0; i < s.n(); i++) {
                String q = p + ".m." + i;
                TorchModule inner;
                if (s.attn()) {
                    inner = new TorchModule(SEQUENTIAL)
                            .child("0", bottleneck(q + ".0", c, c, s.shortcut(), s.g(), 3, 3, 0.5))
                            .child("1", psaBlock(q + ".1", c, 0.5, Math.max(c / 64, 1), true));
                } else if (s.c3k()) {
                    inner = c3k(q, c, c, 2, s.shortcut(), s.g(), 0.5, 3);
                } else {
                    inner = bottleneck(q, c, c, s.shortcut(), s.g(), 3, 3, 0.5);
                }
                m.child(Integer.toString(i), inner);
            }
            return csp(p, "C3k2", s.c1(), s.c2(), s.n(), c, m);
        } else if (spec instanceof YoloArchitecture.C3kSpec s) {
            return c3k(p, s.c1(), s.c2(), s.n(), s.shortcut(), s.g(), s.e(), s.k());
        } else if (spec instanceof YoloArchitecture.BottleneckSpec s) {
            return bottleneck(p, s.c1(), s.c2(), s.shortcut(), s.g(), s.k1(), s.k2(), s.e());
        } else if (spec instanceof YoloArchitecture.SppfSpec s) {
            return sppf(p, s);
        } else if (spec instanceof YoloArchitecture.C2PsaSpec s) {
            int c = (int) (s.c1() * s.e());
            TorchModule m = new TorchModule(SEQUENTIAL);
            for (int i = 0; i < s.n(); i++) {
                m.child(Integer.toString(i), psaBlock(p + ".m." + i, c, 0.5, c / 64, true));
            }
            return new TorchModule(BLOCK + "C2PSA").child("cv1", conv(p + ".cv1", s.c1(), 2 * c, 1, true))
                    .child("cv2", conv(p + ".cv2", 2 * c, s.c1(), 1, true))
                    .child("m", m)
                    .attribute("c", (long) c);
        } else if (spec instanceof YoloArchitecture.UpsampleSpec s) {
            return new TorchModule("torch.nn.modules.upsampling.Upsample").attribute("name", "Upsample")
                    .attribute("size", null)
                    .attribute("scale_factor", (double) s.scale())
                    .attribute("mode", "nearest")
                    .attribute("align_corners", null)
                    .attribute("recompute_scale_factor", null);
        } else if (spec instanceof YoloArchitecture.ConcatSpec s) {
            return new TorchModule("ultralytics.nn.modules.conv.Concat").attribute("d", (long) s.dim());
        } else if (spec instanceof YoloArchitecture.DetectSpec s) {
            return detect(p, s);
        }
        throw new IllegalArgumentException(p + ": cannot write layer " + spec);
    }

    // ---- blocks ----

    /** C2f / C3k2: {@code cv1}, {@code cv2}, {@code m}, and the split width {@code c}. */
    private TorchModule csp(String p, String cls, int c1, int c2, int n, int c, TorchModule m) {
        TorchModule block = new TorchModule(BLOCK + cls).child("cv1", conv(p + ".cv1", c1, 2 * c, 1, true))
                .child("cv2", conv(p + ".cv2", (2 + n) * c, c2, 1, true));
        return block.child("m", m).attribute("c", (long) c);
    }

    private TorchModule bottleneck(String p, int c1, int c2, boolean shortcut, int g, int k1, int k2, double e) {
        int hidden = (int) (c2 * e);
        return new TorchModule(BLOCK + "Bottleneck")
                .child("cv1", conv(p + ".cv1", CONV, c1, hidden, k1, 1, k1 / 2, 1, 1, true))
                .child("cv2", conv(p + ".cv2", CONV, hidden, c2, k2, 1, k2 / 2, g, 1, true))
                .attribute("add", shortcut && c1 == c2);
    }

    private TorchModule c3k(String p, int c1, int c2, int n, boolean shortcut, int g, double e, int k) {
        int hidden = (int) (c2 * e);
        TorchModule block = new TorchModule(BLOCK + "C3k").child("cv1", conv(p + ".cv1", c1, hidden, 1, true))
                .child("cv2", conv(p + ".cv2", c1, hidden, 1, true))
                .child("cv3", conv(p + ".cv3", 2 * hidden, c2, 1, true));
        TorchModule m = new TorchModule(SEQUENTIAL);
        for (int i = 0; i < n; i++) {
            m.child(Integer.toString(i), bottleneck(p + ".m." + i, hidden, hidden, shortcut, g, k, k, 1.0));
        }
        return block.child("m", m);
    }

    private TorchModule sppf(String p, YoloArchitecture.SppfSpec s) {
        int hidden = s.c1() / 2;
        // current Ultralytics builds cv1 without activation, as the fixtures record
        TorchModule pool = new TorchModule("torch.nn.modules.pooling.MaxPool2d").attribute("kernel_size", (long) s.k())
                .attribute("stride", 1L)
                .attribute("padding", (long) (s.k() / 2))
                .attribute("dilation", 1L)
                .attribute("return_indices", false)
                .attribute("ceil_mode", false);
        return new TorchModule(BLOCK + "SPPF").child("cv1", conv(p + ".cv1", s.c1(), hidden, 1, false))
                .child("cv2", conv(p + ".cv2", hidden * (s.n() + 1), s.c2(), 1, true))
                .child("m", pool)
                .attribute("n", (long) s.n())
                .attribute("add", s.shortcut() && s.c1() == s.c2());
    }

    private TorchModule psaBlock(String p, int c, double attnRatio, int heads, boolean shortcut) {
        AttentionGeometry g = AttentionGeometry.of(p + ".attn", c, heads, attnRatio);
        TorchModule attn = new TorchModule(BLOCK + "Attention")
                .child("qkv", conv(p + ".attn.qkv", c, g.qkvChannels(), 1, false))
                .child("proj", conv(p + ".attn.proj", c, c, 1, false))
                .child("pe", conv(p + ".attn.pe", CONV, c, c, 3, 1, 1, c, 1, false))
                .attribute("num_heads", (long) heads)
                .attribute("head_dim", (long) g.headDim())
                .attribute("key_dim", (long) g.keyDim())
                .attribute("scale", Math.pow(g.keyDim(), -0.5));
        TorchModule ffn = new TorchModule(SEQUENTIAL).child("0", conv(p + ".ffn.0", c, 2 * c, 1, true))
                .child("1", conv(p + ".ffn.1", 2 * c, c, 1, false));
        return new TorchModule(BLOCK + "PSABlock").child("attn", attn).child("ffn", ffn).attribute("add", shortcut);
    }

    private TorchModule detect(String p, YoloArchitecture.DetectSpec s) {
        TorchModule head = new TorchModule("ultralytics.nn.modules.head.Detect");
        boolean oneToMany = !s.end2end() || stateDict.containsKey(p + ".cv2.0.0.conv.weight");
        if (oneToMany) {
            head.child("cv2", boxBranches(p + ".cv2", s)).child("cv3", classBranches(p + ".cv3", s));
        }
        if (s.regMax() > 1) {
            int c1 = s.regMax();
            TorchModule conv = conv2d(p + ".dfl.conv", c1, 1, 1, 1, 0, 1, 1, false);
            head.child("dfl", new TorchModule(BLOCK + "DFL").child("conv", conv).attribute("c1", (long) c1));
        } else {
            head.child("dfl", new TorchModule("torch.nn.modules.linear.Identity"));
        }
        if (s.end2end()) {
            // Ultralytics deep-copies cv2 and cv3 into the one-to-one branches: each copy has its own shared SiLU
            TorchModule shared = silu;
            silu = newSilu();
            head.child("one2one_cv2", boxBranches(p + ".one2one_cv2", s));
            silu = newSilu();
            head.child("one2one_cv3", classBranches(p + ".one2one_cv3", s));
            silu = shared;
        }
        head.attribute("nc", (long) s.nc())
                .attribute("nl", (long) s.ch().size())
                .attribute("reg_max", (long) s.regMax())
                .attribute("no", (long) (s.nc() + 4 * s.regMax()))
                .attribute("stride", detectStride)
                .attribute("end2end", s.end2end())
                .attribute("legacy", s.legacy());
        if (s.end2end()) {
            head.attribute("max_det", 300L);
        }
        return head;
    }

    private TorchModule boxBranches(String p, YoloArchitecture.DetectSpec s) {
        int c2 = s.boxChannels();
        TorchModule list = new TorchModule(MODULE_LIST);
        for (int i = 0; i < s.ch().size(); i++) {
            String b = p + "." + i;
            list.child(Integer.toString(i),
                    new TorchModule(SEQUENTIAL).child("0", conv(b + ".0", s.ch().get(i), c2, 3, true))
                            .child("1", conv(b + ".1", c2, c2, 3, true))
                            .child("2", conv2d(b + ".2", c2, 4 * s.regMax(), 1, 1, 0, 1, 1, true)));
        }
        return list;
    }

    private TorchModule classBranches(String p, YoloArchitecture.DetectSpec s) {
        int c3 = s.classChannels();
        TorchModule list = new TorchModule(MODULE_LIST);
        for (int i = 0; i < s.ch().size(); i++) {
            int x = s.ch().get(i);
            String c = p + "." + i;
            TorchModule branch = new TorchModule(SEQUENTIAL);
            if (s.legacy()) {
                branch.child("0", conv(c + ".0", x, c3, 3, true)).child("1", conv(c + ".1", c3, c3, 3, true));
            } else {
                branch.child("0",
                        new TorchModule(SEQUENTIAL).child("0", conv(c + ".0.0", DWCONV, x, x, 3, 1, 1, x, 1, true))
                                .child("1", conv(c + ".0.1", x, c3, 1, true)))
                        .child("1", new TorchModule(SEQUENTIAL)
                                .child("0", conv(c + ".1.0", DWCONV, c3, c3, 3, 1, 1, c3, 1, true))
                                .child("1", conv(c + ".1.1", c3, c3, 1, true)));
            }
            list.child(Integer.toString(i), branch.child("2", conv2d(c + ".2", c3, s.nc(), 1, 1, 0, 1, 1, true)));
        }
        return list;
    }

    // ---- Conv, Conv2d, BatchNorm2d ----

    /** A stride-1 Conv with Ultralytics' autopad. */
    private TorchModule conv(String p, int c1, int c2, int k, boolean act) {
        return conv(p, CONV, c1, c2, k, 1, k / 2, 1, 1, act);
    }

    /** {@code Conv(c1, c2, k, s, p, g, d, act)}: Conv2d without bias, BatchNorm2d, SiLU (shared) or Identity. */
    private TorchModule conv(String p, String cls, int c1, int c2, int k, int s, int pad, int g, int d, boolean act) {
        TorchModule conv2d = conv2d(p + ".conv", c1, c2, k, s, pad, g, d, false);
        TorchModule bn = new TorchModule("torch.nn.modules.batchnorm.BatchNorm2d")
                .parameter("weight", parameter(p + ".bn.weight", c2))
                .parameter("bias", parameter(p + ".bn.bias", c2))
                .buffer("running_mean", buffer(p + ".bn.running_mean", c2))
                .buffer("running_var", buffer(p + ".bn.running_var", c2))
                .buffer("num_batches_tracked", batchesTracked(p + ".bn.num_batches_tracked"))
                .attribute("num_features", (long) c2)
                .attribute("eps", BN_EPS)
                .attribute("momentum", BN_MOMENTUM)
                .attribute("affine", true)
                .attribute("track_running_stats", true);
        TorchModule activation = act ? silu : new TorchModule("torch.nn.modules.linear.Identity");
        return new TorchModule(cls).child("conv", conv2d).child("bn", bn).child("act", activation);
    }

    private TorchModule conv2d(String p, int c1, int c2, int k, int s, int pad, int g, int d, boolean bias) {
        if (c1 % g != 0) {
            throw new IllegalArgumentException(p + ": " + c1 + " channels not divisible by groups " + g);
        }
        return new TorchModule("torch.nn.modules.conv.Conv2d").parameter("weight", parameter(p + ".weight", c2, c1 / g, k, k))
                .parameter("bias", bias ? parameter(p + ".bias", c2) : null)
                .attribute("in_channels", (long) c1)
                .attribute("out_channels", (long) c2)
                .attribute("kernel_size", pair(k))
                .attribute("stride", pair(s))
                .attribute("padding", pair(pad))
                .attribute("dilation", pair(d))
                .attribute("transposed", false)
                .attribute("output_padding", pair(0))
                .attribute("groups", (long) g)
                .attribute("padding_mode", "zeros")
                .attribute("_reversed_padding_repeated_twice", PyTuple.of((long) pad, (long) pad, (long) pad, (long) pad));
    }

    private static TorchModule newSilu() {
        return new TorchModule("torch.nn.modules.activation.SiLU").attribute("inplace", true);
    }

    private static PyTuple pair(int v) {
        return PyTuple.of((long) v, (long) v);
    }

    // ---- the state dict ----

    private TorchParameter parameter(String name, long... shape) {
        TensorData t = take(name, shape);
        parameterElements += t.numel();
        return new TorchParameter(t, false);
    }

    private TensorData buffer(String name, long... shape) {
        return take(name, shape);
    }

    /** The BatchNorm counter; 0 when the state dict leaves it out. */
    private TensorData batchesTracked(String name) {
        return stateDict.containsKey(name) ? take(name) : TensorData.ofLong(0);
    }

    private TensorData take(String name, long... shape) {
        TensorData t = stateDict.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the state dict has no " + name + " (shape " + Arrays.toString(shape)
                    + "), which the architecture needs");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(t.shape())
                    + ", the architecture needs " + Arrays.toString(shape));
        }
        taken.add(name);
        return t;
    }

    private void requireAllTaken() {
        List<String> left = new ArrayList<>();
        for (String name : stateDict.keySet()) {
            if (!taken.contains(name)) {
                left.add(name);
            }
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(left.size() + " state-dict tensors have no place in the architecture, "
                    + "e.g. " + left.subList(0, Math.min(5, left.size())));
        }
    }
}
