package io.visionplatform.vision.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.visionplatform.vision.detect.ModelLoadException;

/**
 * A YOLO detection architecture resolved from an Ultralytics model definition (the {@code yaml} dict stored in a
 * checkpoint, or a parsed {@code yolo*.yaml}): {@code nc}, optional {@code scales} with the chosen {@code scale},
 * {@code backbone} and {@code head} lists of {@code [from, repeats, module, args]}.
 * <p>
 * The resolution follows the rules Ultralytics documents for its model configs: the scale gives
 * {@code [depth, width, max_channels]}; a layer's output channels become {@code make_divisible(min(c, max_channels) *
 * width, 8)} (unless equal to {@code nc}); repeats become {@code max(round(n * depth), 1)} when {@code n > 1}; for the
 * repeated blocks (C2f, C3k2, C3k, C2PSA) the repeats are passed to the block; C3k2 is forced to its C3k variant at
 * the m, l and x scales, and a model containing C3k2 gets the non-legacy (depthwise) class branch in its Detect head.
 * Nothing here is specific to one model: every channel count is computed from the definition and later checked
 * against the checkpoint's tensors.
 */
public final class YoloArchitecture {

    /** What one entry of the definition resolves to. */
    public sealed interface Spec permits ConvSpec, C2fSpec, C3k2Spec, C3kSpec, BottleneckSpec, SppfSpec, C2PsaSpec,
            UpsampleSpec, ConcatSpec, DetectSpec {
    }

    /** {@code Conv(c1, c2, k, s, p=autopad, g, d)} (conv + BatchNorm + activation); DWConv is a Conv with g = gcd. */
    public record ConvSpec(int c1, int c2, int k, int s, int p, int g, int d, boolean act) implements Spec {
    }

    /** {@code C2f(c1, c2, n, shortcut, g, e)}. */
    public record C2fSpec(int c1, int c2, int n, boolean shortcut, int g, double e) implements Spec {
    }

    /** {@code C3k2(c1, c2, n, c3k, e, attn, g, shortcut)}. */
    public record C3k2Spec(int c1, int c2, int n, boolean c3k, double e, boolean attn, int g, boolean shortcut)
            implements
                Spec {
    }

    /** {@code C3k(c1, c2, n, shortcut, g, e, k)}. */
    public record C3kSpec(int c1, int c2, int n, boolean shortcut, int g, double e, int k) implements Spec {
    }

    /** {@code Bottleneck(c1, c2, shortcut, g, k=(3, 3), e)}. */
    public record BottleneckSpec(int c1, int c2, boolean shortcut, int g, int k1, int k2, double e) implements Spec {
    }

    /** {@code SPPF(c1, c2, k, n, shortcut)}: n chained max-pools of size k. */
    public record SppfSpec(int c1, int c2, int k, int n, boolean shortcut) implements Spec {
    }

    /** {@code C2PSA(c1, c2, n, e)}. */
    public record C2PsaSpec(int c1, int c2, int n, double e) implements Spec {
    }

    /** {@code nn.Upsample(None, scale, 'nearest')}. */
    public record UpsampleSpec(int scale) implements Spec {
    }

    /** {@code Concat(dim)}. */
    public record ConcatSpec(int dim) implements Spec {
    }

    /**
     * {@code Detect(nc, reg_max, end2end, ch)}; {@code legacy} picks the class branch (plain 3x3 Convs for YOLOv8,
     * depthwise-separable ones otherwise).
     */
    public record DetectSpec(int nc, int regMax, boolean end2end, List<Integer> ch, boolean legacy) implements Spec {

        public DetectSpec

        {
            ch = List.copyOf(ch);
        }

        /** Hidden channels of the box branch: {@code max(16, ch[0] / 4, 4 * reg_max)}. */
        public int boxChannels() {
            return Math.max(Math.max(16, ch.get(0) / 4), regMax * 4);
        }

        /** Hidden channels of the class branch: {@code max(ch[0], min(nc, 100))}. */
        public int classChannels() {
            return Math.max(ch.get(0), Math.min(nc, 100));
        }
    }

    /**
     * One resolved layer.
     *
     * @param index its position ({@code model.<index>} in the state dict)
     * @param from absolute indices of its inputs ({@code -1} already resolved to {@code index - 1}; the network input
     *        is {@code -1} for layer 0)
     * @param module the module name as written in the definition ({@code Conv}, {@code nn.Upsample}, ...)
     * @param outChannels channels of its output
     */
    public record Layer(int index, List<Integer> from, String module, Spec spec, int outChannels) {

        public Layer

        {
            from = List.copyOf(from);
        }

        /** The Python class name Ultralytics instantiates for this layer ({@code Upsample} for {@code nn.Upsample}). */
        public String className() {
            return module.startsWith("nn.") ? module.substring(3)
                    : module.startsWith("torch.nn.") ? module.substring(9) : module;
        }
    }

    private final int nc;
    private final String scale;
    private final double depth;
    private final double width;
    private final double maxChannels;
    private final int inputChannels;
    private final List<Layer> layers;

    private YoloArchitecture(int nc, String scale, double depth, double width, double maxChannels, int inputChannels,
            List<Layer> layers) {
        this.nc = nc;
        this.scale = scale;
        this.depth = depth;
        this.width = width;
        this.maxChannels = maxChannels;
        this.inputChannels = inputChannels;
        this.layers = Collections.unmodifiableList(layers);
    }

    /** Number of classes. */
    public int nc() {
        return nc;
    }

    /** The scale used ({@code n}, {@code s}, ...), or null when the definition has no {@code scales}. */
    public String scale() {
        return scale;
    }

    public double depthMultiple() {
        return depth;
    }

    public double widthMultiple() {
        return width;
    }

    /** {@code max_channels} of the scale; infinite without scales. */
    public double maxChannels() {
        return maxChannels;
    }

    public int inputChannels() {
        return inputChannels;
    }

    /** Backbone then head, in order. */
    public List<Layer> layers() {
        return layers;
    }

    /** The last layer's spec, which must be the Detect head. */
    public DetectSpec detect() {
        return (DetectSpec) layers.get(layers.size() - 1).spec();
    }

    /** Ultralytics' {@code make_divisible}: the smallest multiple of {@code divisor} that is {@code >= x}. */
    static int makeDivisible(double x, int divisor) {
        return (int) (Math.ceil(x / divisor) * divisor);
    }

    /**
     * Resolves a model definition.
     *
     * @throws ModelLoadException when a key is missing or malformed, or a module is not one of the supported detection
     *         blocks (Conv, DWConv, C2f, C3k2, C3k, Bottleneck, SPPF, C2PSA, nn.Upsample, Concat, Detect)
     */
    public static YoloArchitecture parse(Map<String, Object> yaml) {
        if (yaml == null || yaml.isEmpty()) {
            throw new ModelLoadException("the checkpoint has no model definition (yaml)");
        }
        int nc = intValue(yaml.get("nc"), "nc");
        int channels = yaml.get("channels") == null ? 3 : intValue(yaml.get("channels"), "channels");
        Object act = yaml.get("activation");
        if (act != null && !String.valueOf(act).replace(" ", "").matches("(torch\\.)?nn\\.SiLU\\(\\)")) {
            throw new ModelLoadException("unsupported default activation " + act + " (only SiLU)");
        }
        int regMax = yaml.get("reg_max") == null ? 16 : intValue(yaml.get("reg_max"), "reg_max");
        boolean end2end = yaml.get("end2end") instanceof Boolean b && b;

        double depth = yaml.get("depth_multiple") == null ? 1.0 : number(yaml.get("depth_multiple"), "depth_multiple");
        double width = yaml.get("width_multiple") == null ? 1.0 : number(yaml.get("width_multiple"), "width_multiple");
        double maxChannels = Double.POSITIVE_INFINITY;
        String scale = yaml.get("scale") instanceof String s && !s.isEmpty() ? s : null;
        if (yaml.get("scales") instanceof Map<?, ?> scales && !scales.isEmpty()) {
            if (scale == null) {
                scale = String.valueOf(scales.keySet().iterator().next()); // Ultralytics takes the first one
            }
            if (!(scales.get(scale) instanceof List<?> triple) || triple.size() != 3) {
                throw new ModelLoadException("scale '" + scale + "' is not one of " + scales.keySet()
                        + " with [depth, width, max_channels]");
            }
            depth = number(triple.get(0), "scales." + scale + "[0]");
            width = number(triple.get(1), "scales." + scale + "[1]");
            maxChannels = number(triple.get(2), "scales." + scale + "[2]");
        }

        List<Object> entries = new ArrayList<>();
        entries.addAll(list(yaml.get("backbone"), "backbone"));
        entries.addAll(list(yaml.get("head"), "head"));
        if (entries.isEmpty()) {
            throw new ModelLoadException("the model definition has no layers");
        }

        List<Integer> ch = new ArrayList<>(List.of(channels));
        List<Layer> layers = new ArrayList<>();
        boolean legacy = true;
        for (int i = 0; i < entries.size(); i++) {
            List<?> entry = list(entries.get(i), "layer " + i);
            if (entry.size() != 4) {
                throw new ModelLoadException("layer " + i + " is not [from, repeats, module, args]: " + entry);
            }
            List<Integer> from = resolveFrom(entry.get(0), i, entries.size());
            if (i == 0 && from.size() != 1) {
                throw new ModelLoadException("layer 0 must take the network input alone, got " + entry.get(0));
            }
            int repeats = intValue(entry.get(1), "layer " + i + " repeats");
            String module = String.valueOf(entry.get(2));
            List<Object> args = new ArrayList<>(list(entry.get(3), "layer " + i + " args"));
            for (int j = 0; j < args.size(); j++) {
                if ("nc".equals(args.get(j))) {
                    args.set(j, (long) nc);
                } else if ("None".equals(args.get(j))) {
                    args.set(j, null);
                } else if ("True".equals(args.get(j)) || "False".equals(args.get(j))) {
                    args.set(j, "True".equals(args.get(j)));
                }
            }
            int n = repeats > 1 ? Math.max((int) Math.rint(repeats * depth), 1) : repeats;
            String what = "layer " + i + " (" + module + ")";
            int c1 = ch.get(i == 0 ? 0 : from.get(0));
            Spec spec;
            int c2;
            switch (module) {
                case "Conv", "DWConv" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    int k = intArg(args, 1, 1, what);
                    int s = intArg(args, 2, 1, what);
                    int d = intArg(args, 5, 1, what);
                    int p = args.size() > 3 && args.get(3) != null ? intArg(args, 3, 0, what) : (d * (k - 1) + 1) / 2;
                    int g = module.equals("DWConv") ? gcd(c1, c2) : intArg(args, 4, 1, what);
                    boolean a = !(args.size() > 6 && Boolean.FALSE.equals(args.get(6)));
                    requireSingle(n, what);
                    spec = new ConvSpec(c1, c2, k, s, p, g, d, a);
                }
                case "C2f" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    spec = new C2fSpec(c1, c2, n, boolArg(args, 1, false, what), intArg(args, 2, 1, what),
                            doubleArg(args, 3, 0.5, what));
                }
                case "C3k2" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    legacy = false;
                    boolean c3k = boolArg(args, 1, false, what);
                    if (scale != null && scale.length() == 1 && "mlx".contains(scale)) {
                        c3k = true;
                    }
                    spec = new C3k2Spec(c1, c2, n, c3k, doubleArg(args, 2, 0.5, what), boolArg(args, 3, false, what),
                            intArg(args, 4, 1, what), boolArg(args, 5, true, what));
                }
                case "C3k" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    spec = new C3kSpec(c1, c2, n, boolArg(args, 1, true, what), intArg(args, 2, 1, what),
                            doubleArg(args, 3, 0.5, what), intArg(args, 4, 3, what));
                }
                case "Bottleneck" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    requireSingle(n, what);
                    spec = new BottleneckSpec(c1, c2, boolArg(args, 1, true, what), intArg(args, 2, 1, what), 3, 3,
                            doubleArg(args, 4, 0.5, what));
                }
                case "SPPF" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    requireSingle(n, what);
                    spec = new SppfSpec(c1, c2, intArg(args, 1, 5, what), intArg(args, 2, 3, what),
                            boolArg(args, 3, false, what));
                }
                case "C2PSA" -> {
                    c2 = scaled(args, nc, width, maxChannels, what);
                    if (c1 != c2) {
                        throw new ModelLoadException(what + ": C2PSA needs c1 == c2, got " + c1 + " and " + c2);
                    }
                    spec = new C2PsaSpec(c1, c2, n, doubleArg(args, 1, 0.5, what));
                }
                case "nn.Upsample", "torch.nn.Upsample" -> {
                    requireSingle(n, what);
                    if (args.size() > 0 && args.get(0) != null) {
                        throw new ModelLoadException(what + ": only a scale factor is supported, not a size");
                    }
                    Object mode = args.size() > 2 ? args.get(2) : "nearest";
                    if (!"nearest".equals(mode)) {
                        throw new ModelLoadException(what + ": only nearest upsampling is supported, got " + mode);
                    }
                    double factor = doubleArg(args, 1, 2.0, what);
                    if (factor != Math.rint(factor) || factor < 1) {
                        throw new ModelLoadException(what + ": scale factor must be a positive integer, got " + factor);
                    }
                    spec = new UpsampleSpec((int) factor);
                    c2 = c1;
                }
                case "Concat" -> {
                    requireSingle(n, what);
                    int dim = intArg(args, 0, 1, what);
                    if (dim != 1) {
                        throw new ModelLoadException(what + ": only channel concatenation (dim 1) is supported");
                    }
                    int sum = 0;
                    for (int f : from) {
                        sum += ch.get(f);
                    }
                    spec = new ConcatSpec(dim);
                    c2 = sum;
                }
                case "Detect" -> {
                    requireSingle(n, what);
                    if (i != entries.size() - 1) {
                        throw new ModelLoadException(what + ": Detect must be the last layer");
                    }
                    List<Integer> inputs = new ArrayList<>();
                    for (int f : from) {
                        inputs.add(ch.get(f));
                    }
                    int headNc = args.isEmpty() || args.get(0) == null ? nc : intArg(args, 0, nc, what);
                    spec = new DetectSpec(headNc, regMax, end2end, inputs, legacy);
                    c2 = 4 + headNc;
                }
                default -> throw new ModelLoadException(what + ": module '" + module + "' is not supported (only "
                        + "YOLOv8 / YOLO11 / YOLO26 detection blocks)");
            }
            if (i == 0) {
                ch.clear();
            }
            ch.add(c2);
            layers.add(new Layer(i, from, module, spec, c2));
        }
        if (!(layers.get(layers.size() - 1).spec() instanceof DetectSpec)) {
            throw new ModelLoadException("the last layer is not a Detect head (only detection models are supported)");
        }
        return new YoloArchitecture(nc, scale, depth, width, maxChannels, channels, layers);
    }

    // ---- helpers ----

    private static int scaled(List<Object> args, int nc, double width, double maxChannels, String what) {
        int c2 = intArg(args, 0, -1, what);
        if (c2 <= 0) {
            throw new ModelLoadException(what + ": output channels must be positive, got " + args);
        }
        return c2 != nc ? makeDivisible(Math.min(c2, maxChannels) * width, 8) : c2;
    }

    private static List<Integer> resolveFrom(Object from, int i, int count) {
        List<Integer> out = new ArrayList<>();
        if (from instanceof List<?> many) {
            for (Object f : many) {
                out.add(absolute(intValue(f, "layer " + i + " from"), i, count));
            }
        } else {
            out.add(absolute(intValue(from, "layer " + i + " from"), i, count));
        }
        if (out.isEmpty()) {
            throw new ModelLoadException("layer " + i + " has no inputs");
        }
        return out;
    }

    private static int absolute(int f, int i, int count) {
        int a = f < 0 ? i + f : f;
        if (i == 0 && f == -1) {
            return -1; // the network input
        }
        if (a < 0 || a >= i) {
            throw new ModelLoadException("layer " + i + " takes input from " + f + ", which is not an earlier layer");
        }
        return a;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static void requireSingle(int n, String what) {
        if (n != 1) {
            throw new ModelLoadException(what + ": repeats other than 1 are not supported for this module, got " + n);
        }
    }

    private static List<?> list(Object o, String what) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new ModelLoadException("model definition: " + what + " is not a list: " + o);
    }

    private static double number(Object o, String what) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new ModelLoadException("model definition: " + what + " is not a number: " + o);
    }

    private static int intValue(Object o, String what) {
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return Math.toIntExact(((Number) o).longValue());
        }
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return (int) n.doubleValue();
        }
        throw new ModelLoadException("model definition: " + what + " is not an integer: " + o);
    }

    private static int intArg(List<Object> args, int i, int dflt, String what) {
        return args.size() > i && args.get(i) != null ? intValue(args.get(i), what + " argument " + i) : dflt;
    }

    private static double doubleArg(List<Object> args, int i, double dflt, String what) {
        return args.size() > i && args.get(i) != null ? number(args.get(i), what + " argument " + i) : dflt;
    }

    private static boolean boolArg(List<Object> args, int i, boolean dflt, String what) {
        if (args.size() <= i || args.get(i) == null) {
            return dflt;
        }
        if (args.get(i) instanceof Boolean b) {
            return b;
        }
        if (args.get(i) instanceof Number num) {
            return num.doubleValue() != 0;
        }
        throw new ModelLoadException(what + " argument " + i + " is not a boolean: " + args.get(i));
    }

    @Override
    public String toString() {
        return "YoloArchitecture[nc=" + nc + ", scale=" + scale + ", depth=" + depth + ", width=" + width
                + ", max_channels=" + maxChannels + ", layers=" + layers.size() + "]";
    }
}
