package io.visionplatform.vision.onnx;

import java.util.ArrayList;
import java.util.List;

import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.nn.AttentionGeometry;
import io.visionplatform.vision.nn.StateDictWeights;
import io.visionplatform.vision.nn.YoloArchitecture;
import io.visionplatform.vision.nn.YoloArchitecture.DetectSpec;
import io.visionplatform.vision.onnx.OnnxGraph.Attr;

/**
 * Emits the ONNX graph of a YOLOv8 / YOLO11 / YOLO26 detection network for a static {@code [1, c, H, W]} input, from
 * the architecture {@link YoloArchitecture} resolves and the checkpoint's weights: the same blocks, weight names,
 * shape checks, activation rules and Conv + BatchNorm folding (float32, the same arithmetic) as the DJL network of
 * package {@code nn}, written as opset-12 operators:
 * <ul>
 * <li>Conv (BatchNorm folded into weight and bias), SiLU as {@code Mul(x, Sigmoid(x))}, Add, Concat, Split,
 * MaxPool, nearest Resize ({@code asymmetric} / {@code floor}: exact for integer factors);</li>
 * <li>attention: Reshape, Split, Transpose, MatMul, Mul, Softmax on the last axis;</li>
 * <li>the Detect head: per level the box and class branches, Reshape and Concat over levels, DFL as
 * {@code Softmax} over the bins (moved last by a Transpose) and a MatMul with the DFL conv's bin values, anchors and
 * strides as constants, boxes {@code cx, cy, w, h} (or corners for the one-to-one head) times stride, sigmoid
 * scores: {@code [1, 4 + nc, N]};</li>
 * <li>end-to-end (one-to-one) heads: ReduceMax over classes, TopK of anchors, Gather, TopK over the (anchor, class)
 * scores, Div / Mod for the anchor and class, Cast, Concat: {@code [1, k, 6]} rows {@code x1, y1, x2, y2, score,
 * class}, the selection YoloNetwork makes.</li>
 * </ul>
 */
final class YoloGraphBuilder {

    static final String INPUT = "images";
    static final String OUTPUT = "output0";

    /** A feature map {@code [1, c, h, w]} in the graph. */
    record Fmap(String name, int c, int h, int w) {
    }

    /** What was built: the graph and the facts the exporter reports. */
    record Result(OnnxGraph graph, long[] outputShape, float[] strides, boolean endToEnd, int maxDet) {
    }

    private final OnnxGraph g;
    private final StateDictWeights w;

    private YoloGraphBuilder(OnnxGraph graph, StateDictWeights weights) {
        this.g = graph;
        this.w = weights;
    }

    /**
     * @param oneToOne whether to export the one-to-one (end-to-end) branches; must be false for heads without them
     * @param maxDet rows of the end-to-end output before capping at the anchor count; 0 for the head's own
     *        {@code max_det}
     */
    static Result build(YoloArchitecture arch, StateDictWeights weights, int height, int width, boolean oneToOne,
            int maxDet) {
        OnnxGraph graph = new OnnxGraph("main_graph");
        return new YoloGraphBuilder(graph, weights).run(arch, height, width, oneToOne, maxDet);
    }

    private Result run(YoloArchitecture arch, int height, int width, boolean oneToOne, int maxDet) {
        int channels = arch.inputChannels();
        g.input(INPUT, OnnxGraph.FLOAT, 1, channels, height, width);
        Fmap input = new Fmap(INPUT, channels, height, width);
        List<YoloArchitecture.Layer> layers = arch.layers();
        Fmap[] outputs = new Fmap[layers.size()];
        for (YoloArchitecture.Layer layer : layers) {
            String prefix = "model." + layer.index();
            w.checkLayerClass(prefix, layer);
            List<Fmap> in = new ArrayList<>();
            for (int f : layer.from()) {
                in.add(f < 0 ? input : outputs[f]);
            }
            YoloArchitecture.Spec spec = layer.spec();
            Fmap x = in.get(0);
            if (spec instanceof DetectSpec s) {
                return detect(prefix, s, in, height, width, oneToOne, maxDet);
            }
            Fmap out;
            if (spec instanceof YoloArchitecture.ConvSpec s) {
                checkChannels(prefix, x, s.c1());
                out = conv(prefix, x, s.c2(), s.k(), s.s(), s.p(), s.g(), s.d(), s.act());
            } else if (spec instanceof YoloArchitecture.C2fSpec s) {
                checkChannels(prefix, x, s.c1());
                out = c2f(prefix, x, s);
            } else if (spec instanceof YoloArchitecture.C3k2Spec s) {
                checkChannels(prefix, x, s.c1());
                out = c3k2(prefix, x, s);
            } else if (spec instanceof YoloArchitecture.C3kSpec s) {
                checkChannels(prefix, x, s.c1());
                out = c3k(prefix, x, s.c2(), s.n(), s.shortcut(), s.g(), s.e(), s.k());
            } else if (spec instanceof YoloArchitecture.BottleneckSpec s) {
                checkChannels(prefix, x, s.c1());
                out = bottleneck(prefix, x, s.c2(), s.shortcut(), s.g(), s.k1(), s.k2(), s.e());
            } else if (spec instanceof YoloArchitecture.SppfSpec s) {
                checkChannels(prefix, x, s.c1());
                out = sppf(prefix, x, s);
            } else if (spec instanceof YoloArchitecture.C2PsaSpec s) {
                checkChannels(prefix, x, s.c1());
                out = c2psa(prefix, x, s);
            } else if (spec instanceof YoloArchitecture.UpsampleSpec s) {
                out = upsample(prefix, x, s.scale());
            } else if (spec instanceof YoloArchitecture.ConcatSpec) {
                out = concat(prefix, in);
            } else {
                throw new ModelLoadException(prefix + ": unsupported layer " + layer.module());
            }
            outputs[layer.index()] = out;
        }
        throw new ModelLoadException("the architecture has no Detect layer");
    }

    private static void checkChannels(String prefix, Fmap x, int c1) {
        if (x.c() != c1) {
            throw new ModelLoadException(prefix + ": input has " + x.c() + " channels, the architecture says " + c1);
        }
    }

    // ---- blocks ----

    /** Ultralytics' Conv: Conv2d without bias + BatchNorm2d (folded here) + SiLU or nothing. */
    private Fmap conv(String prefix, Fmap x, int c2, int k, int s, int p, int groups, int d, boolean act) {
        int c1 = x.c();
        StateDictWeights.FoldedConv folded = w.foldedConv(prefix, c1, c2, k, groups);
        String weight = g.floats(prefix + ".conv.weight", folded.weight(), c2, c1 / groups, k, k);
        String b = g.floats(prefix + ".conv.bias", folded.bias(), c2);
        String y = g.node("/" + prefix + "/conv", "Conv", List.of(x.name(), weight, b), Attr.ints("dilations", d, d),
                Attr.of("group", (long) groups), Attr.ints("kernel_shape", k, k), Attr.ints("pads", p, p, p, p),
                Attr.ints("strides", s, s));
        int h = (x.h() + 2 * p - d * (k - 1) - 1) / s + 1;
        int wd = (x.w() + 2 * p - d * (k - 1) - 1) / s + 1;
        if (h <= 0 || wd <= 0) {
            throw new IllegalArgumentException(prefix + ": the input is too small for this network");
        }
        if (w.silu(prefix, act)) {
            String sig = g.node("/" + prefix + "/act", "Sigmoid", List.of(y));
            y = g.node("/" + prefix + "/act", "Mul", List.of(y, sig));
        }
        return new Fmap(y, c2, h, wd);
    }

    private Fmap conv(String prefix, Fmap x, int c2, int k, int s, int groups, boolean act) {
        return conv(prefix, x, c2, k, s, k / 2, groups, 1, act);
    }

    /** A plain 1x1 Conv2d with bias (the last layer of each Detect branch). */
    private Fmap plainConv(String prefix, Fmap x, int c2) {
        String weight = g.floats(prefix + ".weight", w.take(prefix + ".weight", c2, x.c(), 1, 1), c2, x.c(), 1, 1);
        String b = g.floats(prefix + ".bias", w.take(prefix + ".bias", c2), c2);
        String y = g.node("/" + prefix, "Conv", List.of(x.name(), weight, b), Attr.ints("dilations", 1, 1),
                Attr.of("group", 1L), Attr.ints("kernel_shape", 1, 1), Attr.ints("pads", 0, 0, 0, 0),
                Attr.ints("strides", 1, 1));
        return new Fmap(y, c2, x.h(), x.w());
    }

    private Fmap add(String prefix, Fmap a, Fmap b) {
        return new Fmap(g.node("/" + prefix, "Add", List.of(a.name(), b.name())), a.c(), a.h(), a.w());
    }

    private Fmap concat(String prefix, List<Fmap> parts) {
        List<String> names = new ArrayList<>();
        int c = 0;
        Fmap first = parts.get(0);
        for (Fmap f : parts) {
            if (f.h() != first.h() || f.w() != first.w()) {
                throw new ModelLoadException(prefix + ": cannot concatenate feature maps of " + first.w() + "x"
                        + first.h() + " and " + f.w() + "x" + f.h());
            }
            names.add(f.name());
            c += f.c();
        }
        return new Fmap(g.node("/" + prefix, "Concat", names, Attr.of("axis", 1L)), c, first.h(), first.w());
    }

    private List<Fmap> split(String prefix, Fmap x, int... sizes) {
        long[] split = new long[sizes.length];
        int sum = 0;
        for (int i = 0; i < sizes.length; i++) {
            split[i] = sizes[i];
            sum += sizes[i];
        }
        if (sum != x.c()) {
            throw new ModelLoadException(prefix + ": cannot split " + x.c() + " channels into " + sum);
        }
        List<String> outs = g.node("/" + prefix, "Split", List.of(x.name()), sizes.length, Attr.of("axis", 1L),
                Attr.ints("split", split));
        List<Fmap> out = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            out.add(new Fmap(outs.get(i), sizes[i], x.h(), x.w()));
        }
        return out;
    }

    /** {@code Bottleneck(c1, c2, shortcut, g, k, e)}. */
    private Fmap bottleneck(String prefix, Fmap x, int c2, boolean shortcut, int groups, int k1, int k2, double e) {
        int hidden = (int) (c2 * e);
        Fmap y = conv(prefix + ".cv1", x, hidden, k1, 1, 1, true);
        y = conv(prefix + ".cv2", y, c2, k2, 1, groups, true);
        boolean add = shortcut && x.c() == c2;
        w.checkFlag(prefix, "add", add);
        return add ? add(prefix, x, y) : y;
    }

    /** {@code C3k(c1, c2, n, shortcut, g, e, k)}. */
    private Fmap c3k(String prefix, Fmap x, int c2, int n, boolean shortcut, int groups, double e, int k) {
        int hidden = (int) (c2 * e);
        Fmap a = conv(prefix + ".cv1", x, hidden, 1, 1, 1, true);
        Fmap b = conv(prefix + ".cv2", x, hidden, 1, 1, 1, true);
        for (int i = 0; i < n; i++) {
            a = bottleneck(prefix + ".m." + i, a, hidden, shortcut, groups, k, k, 1.0);
        }
        return conv(prefix + ".cv3", concat(prefix, List.of(a, b)), c2, 1, 1, 1, true);
    }

    private Fmap c2f(String prefix, Fmap x, YoloArchitecture.C2fSpec s) {
        int c = (int) (s.c2() * s.e());
        List<Fmap> ys = new ArrayList<>(split(prefix, conv(prefix + ".cv1", x, 2 * c, 1, 1, 1, true), c, c));
        for (int i = 0; i < s.n(); i++) {
            ys.add(bottleneck(prefix + ".m." + i, ys.get(ys.size() - 1), c, s.shortcut(), s.g(), 3, 3, 1.0));
        }
        return conv(prefix + ".cv2", concat(prefix, ys), s.c2(), 1, 1, 1, true);
    }

    private Fmap c3k2(String prefix, Fmap x, YoloArchitecture.C3k2Spec s) {
        int c = (int) (s.c2() * s.e());
        List<Fmap> ys = new ArrayList<>(split(prefix, conv(prefix + ".cv1", x, 2 * c, 1, 1, 1, true), c, c));
        for (int i = 0; i < s.n(); i++) {
            String p = prefix + ".m." + i;
            Fmap last = ys.get(ys.size() - 1);
            Fmap y;
            if (s.attn()) {
                y = bottleneck(p + ".0", last, c, s.shortcut(), s.g(), 3, 3, 0.5);
                y = psaBlock(p + ".1", y, 0.5, Math.max(c / 64, 1), true);
            } else if (s.c3k()) {
                y = c3k(p, last, c, 2, s.shortcut(), s.g(), 0.5, 3);
            } else {
                y = bottleneck(p, last, c, s.shortcut(), s.g(), 3, 3, 0.5);
            }
            ys.add(y);
        }
        return conv(prefix + ".cv2", concat(prefix, ys), s.c2(), 1, 1, 1, true);
    }

    private Fmap sppf(String prefix, Fmap x, YoloArchitecture.SppfSpec s) {
        int hidden = s.c1() / 2;
        List<Fmap> ys = new ArrayList<>();
        // current Ultralytics builds cv1 without activation; the checkpoint's act module decides
        ys.add(conv(prefix + ".cv1", x, hidden, 1, 1, 1, false));
        int pad = s.k() / 2;
        for (int i = 0; i < s.n(); i++) {
            Fmap prev = ys.get(i);
            String y = g.node("/" + prefix + "/m", "MaxPool", List.of(prev.name()), Attr.of("ceil_mode", 0L),
                    Attr.ints("dilations", 1, 1), Attr.ints("kernel_shape", s.k(), s.k()),
                    Attr.ints("pads", pad, pad, pad, pad), Attr.ints("strides", 1, 1));
            int h = prev.h() + 2 * pad - s.k() + 1;
            int wd = prev.w() + 2 * pad - s.k() + 1;
            ys.add(new Fmap(y, prev.c(), h, wd));
        }
        w.checkSppf(prefix, s.n());
        Fmap y = conv(prefix + ".cv2", concat(prefix, ys), s.c2(), 1, 1, 1, true);
        boolean add = s.shortcut() && s.c1() == s.c2();
        w.checkFlag(prefix, "add", add);
        return add ? add(prefix, y, x) : y;
    }

    private Fmap c2psa(String prefix, Fmap x, YoloArchitecture.C2PsaSpec s) {
        int c = (int) (s.c1() * s.e());
        List<Fmap> ab = split(prefix, conv(prefix + ".cv1", x, 2 * c, 1, 1, 1, true), c, c);
        Fmap b = ab.get(1);
        int heads = c / 64;
        for (int i = 0; i < s.n(); i++) {
            b = psaBlock(prefix + ".m." + i, b, 0.5, heads, true);
        }
        return conv(prefix + ".cv2", concat(prefix, List.of(ab.get(0), b)), s.c1(), 1, 1, 1, true);
    }

    private Fmap psaBlock(String prefix, Fmap x, double attnRatio, int heads, boolean shortcut) {
        int c = x.c();
        Fmap a = attention(prefix + ".attn", x, heads, attnRatio);
        w.checkFlag(prefix, "add", shortcut);
        x = shortcut ? add(prefix, x, a) : a;
        Fmap f = conv(prefix + ".ffn.0", x, 2 * c, 1, 1, 1, true);
        f = conv(prefix + ".ffn.1", f, c, 1, 1, 1, false);
        return shortcut ? add(prefix, x, f) : f;
    }

    /** Multi-head self-attention over the h x w positions with a depthwise 3x3 positional encoding of the values. */
    private Fmap attention(String prefix, Fmap x, int heads, double attnRatio) {
        int dim = x.c();
        AttentionGeometry geometry = AttentionGeometry.of(prefix, dim, heads, attnRatio);
        w.checkAttention(prefix, geometry);
        int headDim = geometry.headDim();
        int keyDim = geometry.keyDim();
        float scale = geometry.scale();
        int h = geometry.qkvChannels();
        long n = (long) x.h() * x.w();
        String scope = "/" + prefix;
        Fmap qkv = conv(prefix + ".qkv", x, h, 1, 1, 1, false);
        String r = g.node(scope, "Reshape", List.of(qkv.name(), g.int64s(1, heads, 2L * keyDim + headDim, n)));
        List<String> parts = g.node(scope, "Split", List.of(r), 3, Attr.of("axis", 2L),
                Attr.ints("split", keyDim, keyDim, headDim));
        String q = parts.get(0);
        String k = parts.get(1);
        String v = parts.get(2);
        String qt = g.node(scope, "Transpose", List.of(q), Attr.ints("perm", 0, 1, 3, 2));
        String attn = g.node(scope, "MatMul", List.of(qt, k));
        attn = g.node(scope, "Mul", List.of(attn, g.floats(prefix + ".scale", new float[] { scale }, 1)));
        attn = g.node(scope, "Softmax", List.of(attn), Attr.of("axis", 3L));
        String at = g.node(scope, "Transpose", List.of(attn), Attr.ints("perm", 0, 1, 3, 2));
        String y = g.node(scope, "MatMul", List.of(v, at));
        long[] image = { 1, dim, x.h(), x.w() };
        y = g.node(scope, "Reshape", List.of(y, g.int64s(image)));
        String v4 = g.node(scope, "Reshape", List.of(v, g.int64s(image)));
        Fmap pe = conv(prefix + ".pe", new Fmap(v4, dim, x.h(), x.w()), dim, 3, 1, dim, false);
        Fmap sum = add(prefix, new Fmap(y, dim, x.h(), x.w()), pe);
        return conv(prefix + ".proj", sum, dim, 1, 1, 1, false);
    }

    private Fmap upsample(String prefix, Fmap x, int factor) {
        String roi = g.floats(prefix + ".roi", new float[0], 0);
        String scales = g.floats(prefix + ".scales", new float[] { 1, 1, factor, factor }, 4);
        String y = g.node("/" + prefix, "Resize", List.of(x.name(), roi, scales),
                Attr.of("coordinate_transformation_mode", "asymmetric"), Attr.of("mode", "nearest"),
                Attr.of("nearest_mode", "floor"));
        return new Fmap(y, x.c(), x.h() * factor, x.w() * factor);
    }

    // ---- the head ----

    private Result detect(String prefix, DetectSpec spec, List<Fmap> features, int height, int width,
            boolean oneToOne, int maxDetOption) {
        int nl = spec.ch().size();
        w.checkDetect(prefix, spec);
        if (oneToOne && !spec.end2end()) {
            throw new IllegalArgumentException("this model has no end-to-end (one-to-one) head");
        }
        if (!oneToOne && spec.end2end() && !w.has(prefix + ".cv2.0.0.conv.weight")) {
            throw new IllegalArgumentException("this end-to-end checkpoint has no one-to-many head to export without "
                    + "end2end");
        }
        String kind = oneToOne ? "one2one_" : "";
        String scope = "/" + prefix;
        int nc = spec.nc();
        int regMax = spec.regMax();
        int c2 = spec.boxChannels();
        int c3 = spec.classChannels();
        List<String> boxes = new ArrayList<>();
        List<String> scores = new ArrayList<>();
        float[] strides = new float[nl];
        int total = 0;
        int[] sizes = new int[2 * nl];
        for (int i = 0; i < nl; i++) {
            Fmap f = features.get(i);
            checkChannels(prefix + " input " + i, f, spec.ch().get(i));
            String b = prefix + "." + kind + "cv2." + i;
            Fmap box = conv(b + ".0", f, c2, 3, 1, 1, true);
            box = conv(b + ".1", box, c2, 3, 1, 1, true);
            box = plainConv(b + ".2", box, 4 * regMax);
            String c = prefix + "." + kind + "cv3." + i;
            Fmap cls;
            if (spec.legacy()) {
                cls = conv(c + ".0", f, c3, 3, 1, 1, true);
                cls = conv(c + ".1", cls, c3, 3, 1, 1, true);
            } else {
                cls = conv(c + ".0.0", f, f.c(), 3, 1, f.c(), true);
                cls = conv(c + ".0.1", cls, c3, 1, 1, 1, true);
                cls = conv(c + ".1.0", cls, c3, 3, 1, c3, true);
                cls = conv(c + ".1.1", cls, c3, 1, 1, 1, true);
            }
            cls = plainConv(c + ".2", cls, nc);
            long cells = (long) f.h() * f.w();
            boxes.add(g.node(scope, "Reshape", List.of(box.name(), g.int64s(1, 4L * regMax, cells))));
            scores.add(g.node(scope, "Reshape", List.of(cls.name(), g.int64s(1, nc, cells))));
            sizes[2 * i] = f.h();
            sizes[2 * i + 1] = f.w();
            total += (int) cells;
            // Ultralytics' stride probe: input size over feature size (the same at any multiple of the max stride)
            strides[i] = (float) height / f.h();
            if ((float) width / f.w() != strides[i]) {
                throw new ModelLoadException(prefix + ": level " + i + " has different strides in x and y");
            }
        }
        int maxStride = 0;
        for (float s : strides) {
            maxStride = Math.max(maxStride, (int) s);
        }
        if (height % maxStride != 0 || width % maxStride != 0) {
            throw new IllegalArgumentException("input " + width + "x" + height + " is not a multiple of the stride "
                    + maxStride);
        }
        String box = g.node(scope, "Concat", boxes, Attr.of("axis", 2L));
        String cls = g.node(scope, "Concat", scores, Attr.of("axis", 2L));
        String dist = box;
        if (regMax > 1) {
            float[] bins = w.take(prefix + ".dfl.conv.weight", 1, regMax, 1, 1);
            String dfl = "/" + prefix + "/dfl";
            String r = g.node(dfl, "Reshape", List.of(box, g.int64s(1, 4, regMax, total)));
            String t = g.node(dfl, "Transpose", List.of(r), Attr.ints("perm", 0, 1, 3, 2));
            String sm = g.node(dfl, "Softmax", List.of(t), Attr.of("axis", 3L));
            String ex = g.node(dfl, "MatMul", List.of(sm, g.floats(prefix + ".dfl.conv.weight", bins, regMax, 1)));
            dist = g.node(dfl, "Reshape", List.of(ex, g.int64s(1, 4, total)));
        }
        float[] anchors = new float[2 * total];
        float[] strideRow = new float[total];
        int a = 0;
        for (int i = 0; i < nl; i++) {
            for (int y = 0; y < sizes[2 * i]; y++) {
                for (int x = 0; x < sizes[2 * i + 1]; x++) {
                    anchors[a] = x + 0.5f;
                    anchors[total + a] = y + 0.5f;
                    strideRow[a] = strides[i];
                    a++;
                }
            }
        }
        String anchorPoints = g.floats(prefix + ".anchors", anchors, 1, 2, total);
        String strideTensor = g.floats(prefix + ".strides", strideRow, 1, 1, total);
        List<String> ltrb = g.node(scope, "Split", List.of(dist), 2, Attr.of("axis", 1L), Attr.ints("split", 2, 2));
        String x1y1 = g.node(scope, "Sub", List.of(anchorPoints, ltrb.get(0)));
        String x2y2 = g.node(scope, "Add", List.of(anchorPoints, ltrb.get(1)));
        String decoded;
        if (oneToOne) {
            decoded = g.node(scope, "Concat", List.of(x1y1, x2y2), Attr.of("axis", 1L));
        } else {
            String sum = g.node(scope, "Add", List.of(x1y1, x2y2));
            String cxcy = g.node(scope, "Div", List.of(sum, g.floats(prefix + ".two", new float[] { 2f }, 1)));
            String wh = g.node(scope, "Sub", List.of(x2y2, x1y1));
            decoded = g.node(scope, "Concat", List.of(cxcy, wh), Attr.of("axis", 1L));
        }
        decoded = g.node(scope, "Mul", List.of(decoded, strideTensor));
        String sig = g.node(scope, "Sigmoid", List.of(cls));
        int headMaxDet = (int) w.moduleNumber(prefix, "max_det", 300);
        int maxDet = maxDetOption > 0 ? maxDetOption : headMaxDet;
        if (!oneToOne) {
            g.nodeTo(scope, "Concat", List.of(decoded, sig), OUTPUT, Attr.of("axis", 1L));
            g.output(OUTPUT, OnnxGraph.FLOAT, 1, 4 + nc, total);
            return new Result(g, new long[] { 1, 4 + nc, total }, strides, false, maxDet);
        }
        String all = g.node(scope, "Concat", List.of(decoded, sig), Attr.of("axis", 1L));
        int k = Math.min(maxDet, total);
        topK(prefix, all, nc, total, k);
        return new Result(g, new long[] { 1, k, 6 }, strides, true, maxDet);
    }

    /**
     * The end-to-end selection on {@code [1, 4 + nc, N]}: the k anchors with the highest best-class score, then the k
     * highest (anchor, class) scores among them, as rows {@code x1, y1, x2, y2, score, class}.
     */
    private void topK(String prefix, String all, int nc, int total, int k) {
        String scope = "/" + prefix + "/postprocess";
        String t = g.node(scope, "Transpose", List.of(all), Attr.ints("perm", 0, 2, 1));
        String flat = g.node(scope, "Reshape", List.of(t, g.int64s(total, 4 + nc)));
        List<String> parts = g.node(scope, "Split", List.of(flat), 2, Attr.of("axis", 1L), Attr.ints("split", 4, nc));
        String boxes = parts.get(0);
        String scores = parts.get(1);
        String best = g.node(scope, "ReduceMax", List.of(scores), Attr.ints("axes", 1), Attr.of("keepdims", 0L));
        String kk = g.int64s(k);
        List<String> top = g.node(scope, "TopK", List.of(best, kk), 2, Attr.of("axis", 0L), Attr.of("largest", 1L),
                Attr.of("sorted", 1L));
        String anchorIdx = top.get(1);
        String boxesK = g.node(scope, "Gather", List.of(boxes, anchorIdx), Attr.of("axis", 0L));
        String scoresK = g.node(scope, "Gather", List.of(scores, anchorIdx), Attr.of("axis", 0L));
        String candidates = g.node(scope, "Reshape", List.of(scoresK, g.int64s((long) k * nc)));
        List<String> top2 = g.node(scope, "TopK", List.of(candidates, kk), 2, Attr.of("axis", 0L),
                Attr.of("largest", 1L), Attr.of("sorted", 1L));
        String ncConst = g.int64s(nc);
        String slot = g.node(scope, "Div", List.of(top2.get(1), ncConst));
        String cls = g.node(scope, "Mod", List.of(top2.get(1), ncConst), Attr.of("fmod", 0L));
        String rowBoxes = g.node(scope, "Gather", List.of(boxesK, slot), Attr.of("axis", 0L));
        String column = g.int64s(k, 1);
        String score = g.node(scope, "Reshape", List.of(top2.get(0), column));
        String clsF = g.node(scope, "Cast", List.of(g.node(scope, "Reshape", List.of(cls, column))),
                Attr.of("to", (long) OnnxGraph.FLOAT));
        String rows = g.node(scope, "Concat", List.of(rowBoxes, score, clsF), Attr.of("axis", 1L));
        g.nodeTo(scope, "Reshape", List.of(rows, g.int64s(1, k, 6)), OUTPUT);
        g.output(OUTPUT, OnnxGraph.FLOAT, 1, k, 6);
    }
}
