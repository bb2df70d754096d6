package io.visionplatform.vision.train.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.visionplatform.vision.nn.AttentionGeometry;
import io.visionplatform.vision.nn.YoloArchitecture;

/**
 * The YOLOv8 / YOLO11 blocks in training form: each Conv keeps its BatchNorm (batch statistics while training, running
 * statistics otherwise) and every tensor is created in the {@link ParameterStore} under Ultralytics' state-dict name.
 * Modules hold names, not arrays, and read their weights from a {@link Weights} at each call, so the same module graph
 * runs on the trained weights and on their exponential moving average.
 */
final class Modules {

    /** Ultralytics' BatchNorm2d settings: eps 1e-3 and momentum 0.03 (DJL counts momentum the other way round). */
    static final float BN_EPS = 1e-3f;
    static final float BN_MOMENTUM = 0.97f;

    private Modules() {
    }

    /** One module: a function of one feature map. */
    interface Module {
        NDArray forward(Weights w, boolean training, NDArray x);
    }

    /** {@code Conv}: Conv2d without bias, BatchNorm2d, SiLU (or no activation). */
    static final class Conv implements Module {
        private final String prefix;
        private final Shape stride;
        private final Shape padding;
        private final Shape dilation;
        private final int groups;
        private final boolean act;

        Conv(ParameterStore s, String prefix, int c1, int c2, int k, int st, int p, int g, int d, boolean act) {
            this.prefix = prefix;
            this.stride = new Shape(st, st);
            this.padding = new Shape(p, p);
            this.dilation = new Shape(d, d);
            this.groups = g;
            this.act = act;
            s.convWeight(prefix + ".conv.weight", c2, c1 / g, k);
            s.constant(prefix + ".bn.weight", ParameterStore.Kind.NORM_WEIGHT, 1f, c2);
            s.constant(prefix + ".bn.bias", ParameterStore.Kind.BIAS, 0f, c2);
            s.constant(prefix + ".bn.running_mean", ParameterStore.Kind.BUFFER, 0f, c2);
            s.constant(prefix + ".bn.running_var", ParameterStore.Kind.BUFFER, 1f, c2);
        }

        /** Autopad {@code k / 2}, dilation 1. */
        Conv(ParameterStore s, String prefix, int c1, int c2, int k, int st, int g, boolean act) {
            this(s, prefix, c1, c2, k, st, k / 2, g, 1, act);
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            NDArray y = Conv2d.conv2d(x, w.get(prefix + ".conv.weight"), null, stride, padding, dilation, groups)
                    .singletonOrThrow();
            y = BatchNorm.batchNorm(y, w.get(prefix + ".bn.running_mean"), w.get(prefix + ".bn.running_var"),
                    w.get(prefix + ".bn.weight"), w.get(prefix + ".bn.bias"), 1, BN_MOMENTUM, BN_EPS, training)
                    .singletonOrThrow();
            return act ? y.mul(Activation.sigmoid(y)) : y;
        }
    }

    /** A plain Conv2d with bias (the last layer of each Detect branch). */
    static final class PlainConv implements Module {
        private final String prefix;

        PlainConv(ParameterStore s, String prefix, int c1, int c2, float biasInit) {
            this.prefix = prefix;
            s.convWeight(prefix + ".weight", c2, c1, 1);
            s.constant(prefix + ".bias", ParameterStore.Kind.BIAS, biasInit, c2);
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            return Conv2d.conv2d(x, w.get(prefix + ".weight"), w.get(prefix + ".bias")).singletonOrThrow();
        }
    }

    /** Modules applied one after the other. */
    record Sequence(List<Module> modules) implements Module {

        Sequence {
            modules = List.copyOf(modules);
        }

        static Sequence of(Module... modules) {
            return new Sequence(List.of(modules));
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            for (Module m : modules) {
                x = m.forward(w, training, x);
            }
            return x;
        }
    }

    /** {@code Bottleneck(c1, c2, shortcut, g, k, e)}. */
    static final class Bottleneck implements Module {
        private final Conv cv1;
        private final Conv cv2;
        private final boolean add;

        Bottleneck(ParameterStore s, String prefix, int c1, int c2, boolean shortcut, int g, int k1, int k2,
                double e) {
            int hidden = (int) (c2 * e);
            cv1 = new Conv(s, prefix + ".cv1", c1, hidden, k1, 1, 1, true);
            cv2 = new Conv(s, prefix + ".cv2", hidden, c2, k2, 1, g, true);
            add = shortcut && c1 == c2;
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            NDArray y = cv2.forward(w, training, cv1.forward(w, training, x));
            return add ? x.add(y) : y;
        }
    }

    /** {@code C3k}: a CSP block with n Bottlenecks of kernel k. */
    static final class C3k implements Module {
        private final Conv cv1;
        private final Conv cv2;
        private final Conv cv3;
        private final Sequence m;

        C3k(ParameterStore s, String prefix, int c1, int c2, int n, boolean shortcut, int g, double e, int k) {
            int hidden = (int) (c2 * e);
            cv1 = new Conv(s, prefix + ".cv1", c1, hidden, 1, 1, 1, true);
            cv2 = new Conv(s, prefix + ".cv2", c1, hidden, 1, 1, 1, true);
            cv3 = new Conv(s, prefix + ".cv3", 2 * hidden, c2, 1, 1, 1, true);
            List<Module> blocks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                blocks.add(new Bottleneck(s, prefix + ".m." + i, hidden, hidden, shortcut, g, k, k, 1.0));
            }
            m = new Sequence(blocks);
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            NDArray a = m.forward(w, training, cv1.forward(w, training, x));
            return cv3.forward(w, training, a.concat(cv2.forward(w, training, x), 1));
        }
    }

    /** {@code C2f} and {@code C3k2}: split, chained inner blocks, fuse the concatenation. */
    static final class Csp implements Module {
        private final Conv cv1;
        private final Conv cv2;
        private final List<Module> m;
        private final int c;

        private Csp(Conv cv1, Conv cv2, List<Module> m, int c) {
            this.cv1 = cv1;
            this.cv2 = cv2;
            this.m = List.copyOf(m);
            this.c = c;
        }

        static Csp c2f(ParameterStore s, String prefix, YoloArchitecture.C2fSpec spec) {
            int c = (int) (spec.c2() * spec.e());
            Conv cv1 = new Conv(s, prefix + ".cv1", spec.c1(), 2 * c, 1, 1, 1, true);
            Conv cv2 = new Conv(s, prefix + ".cv2", (2 + spec.n()) * c, spec.c2(), 1, 1, 1, true);
            List<Module> m = new ArrayList<>();
            for (int i = 0; i < spec.n(); i++) {
                m.add(new Bottleneck(s, prefix + ".m." + i, c, c, spec.shortcut(), spec.g(), 3, 3, 1.0));
            }
            return new Csp(cv1, cv2, m, c);
        }

        static Csp c3k2(ParameterStore s, String prefix, YoloArchitecture.C3k2Spec spec) {
            int c = (int) (spec.c2() * spec.e());
            Conv cv1 = new Conv(s, prefix + ".cv1", spec.c1(), 2 * c, 1, 1, 1, true);
            Conv cv2 = new Conv(s, prefix + ".cv2", (2 + spec.n()) * c, spec.c2(), 1, 1, 1, true);
            List<Module> m = new ArrayList<>();
            for (int i = 0; i < spec.n(); i++) {
                String p = prefix + ".m." + i;
                if (spec.attn()) {
                    m.add(Sequence.of(new Bottleneck(s, p + ".0", c, c, spec.shortcut(), spec.g(), 3, 3, 0.5),
                            new PsaBlock(s, p + ".1", c, 0.5, Math.max(c / 64, 1), true)));
                } else if (spec.c3k()) {
                    m.add(new C3k(s, p, c, c, 2, spec.shortcut(), spec.g(), 0.5, 3));
                } else {
                    m.add(new Bottleneck(s, p, c, c, spec.shortcut(), spec.g(), 3, 3, 0.5));
                }
            }
            return new Csp(cv1, cv2, m, c);
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            NDList parts = cv1.forward(w, training, x).split(new long[] { c }, 1);
            List<NDArray> ys = new ArrayList<>(parts);
            for (Module b : m) {
                ys.add(b.forward(w, training, ys.get(ys.size() - 1)));
            }
            return cv2.forward(w, training, NDArrays.concat(new NDList(ys), 1));
        }
    }

    /** {@code SPPF}: cv1, n chained max-pools, concat, cv2. */
    static final class Sppf implements Module {
        private final Conv cv1;
        private final Conv cv2;
        private final Shape kernel;
        private final Shape padding;
        private final int n;
        private final boolean add;

        Sppf(ParameterStore s, String prefix, YoloArchitecture.SppfSpec spec, boolean cv1Act) {
            int hidden = spec.c1() / 2;
            cv1 = new Conv(s, prefix + ".cv1", spec.c1(), hidden, 1, 1, 1, cv1Act);
            cv2 = new Conv(s, prefix + ".cv2", hidden * (spec.n() + 1), spec.c2(), 1, 1, 1, true);
            kernel = new Shape(spec.k(), spec.k());
            padding = new Shape(spec.k() / 2, spec.k() / 2);
            n = spec.n();
            add = spec.shortcut() && spec.c1() == spec.c2();
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            List<NDArray> ys = new ArrayList<>();
            ys.add(cv1.forward(w, training, x));
            for (int i = 0; i < n; i++) {
                ys.add(Pool.maxPool2d(ys.get(i), kernel, new Shape(1, 1), padding, false));
            }
            NDArray y = cv2.forward(w, training, NDArrays.concat(new NDList(ys), 1));
            return add ? y.add(x) : y;
        }
    }

    /** Multi-head self-attention over the H x W positions (see the inference block of the same name). */
    static final class Attention implements Module {
        private final Conv qkv;
        private final Conv proj;
        private final Conv pe;
        private final int heads;
        private final int keyDim;
        private final int headDim;
        private final float scale;

        Attention(ParameterStore s, String prefix, int dim, int heads, double attnRatio) {
            AttentionGeometry geometry = AttentionGeometry.of(prefix, dim, heads, attnRatio);
            this.heads = heads;
            this.headDim = geometry.headDim();
            this.keyDim = geometry.keyDim();
            this.scale = geometry.scale();
            qkv = new Conv(s, prefix + ".qkv", dim, geometry.qkvChannels(), 1, 1, 1, false);
            proj = new Conv(s, prefix + ".proj", dim, dim, 1, 1, 1, false);
            pe = new Conv(s, prefix + ".pe", dim, dim, 3, 1, dim, false);
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            Shape sh = x.getShape();
            long b = sh.get(0);
            long c = sh.get(1);
            long hh = sh.get(2);
            long ww = sh.get(3);
            NDList parts = qkv.forward(w, training, x)
                    .reshape(b, heads, 2L * keyDim + headDim, hh * ww)
                    .split(new long[] { keyDim, 2L * keyDim }, 2);
            NDArray q = parts.get(0);
            NDArray k = parts.get(1);
            NDArray v = parts.get(2);
            NDArray attn = q.transpose(0, 1, 3, 2).matMul(k).mul(scale).softmax(3);
            NDArray y = v.matMul(attn.transpose(0, 1, 3, 2)).reshape(b, c, hh, ww);
            y = y.add(pe.forward(w, training, v.reshape(b, c, hh, ww)));
            return proj.forward(w, training, y);
        }
    }

    /** {@code PSABlock}: attention and a 2x feed-forward, each residual. */
    static final class PsaBlock implements Module {
        private final Attention attn;
        private final Conv ffn0;
        private final Conv ffn1;
        private final boolean add;

        PsaBlock(ParameterStore s, String prefix, int c, double attnRatio, int heads, boolean shortcut) {
            attn = new Attention(s, prefix + ".attn", c, heads, attnRatio);
            ffn0 = new Conv(s, prefix + ".ffn.0", c, 2 * c, 1, 1, 1, true);
            ffn1 = new Conv(s, prefix + ".ffn.1", 2 * c, c, 1, 1, 1, false);
            add = shortcut;
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            NDArray a = attn.forward(w, training, x);
            x = add ? x.add(a) : a;
            NDArray f = ffn1.forward(w, training, ffn0.forward(w, training, x));
            return add ? x.add(f) : f;
        }
    }

    /** {@code C2PSA}: split, n PSABlocks on the second half, fuse. */
    static final class C2Psa implements Module {
        private final Conv cv1;
        private final Conv cv2;
        private final Sequence m;
        private final int c;

        C2Psa(ParameterStore s, String prefix, YoloArchitecture.C2PsaSpec spec) {
            c = (int) (spec.c1() * spec.e());
            cv1 = new Conv(s, prefix + ".cv1", spec.c1(), 2 * c, 1, 1, 1, true);
            cv2 = new Conv(s, prefix + ".cv2", 2 * c, spec.c1(), 1, 1, 1, true);
            List<Module> blocks = new ArrayList<>();
            for (int i = 0; i < spec.n(); i++) {
                blocks.add(new PsaBlock(s, prefix + ".m." + i, c, 0.5, c / 64, true));
            }
            m = new Sequence(blocks);
        }

        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            NDList ab = cv1.forward(w, training, x).split(new long[] { c }, 1);
            return cv2.forward(w, training, ab.get(0).concat(m.forward(w, training, ab.get(1)), 1));
        }
    }

    /** Nearest-neighbour upsampling by an integer factor. */
    record Upsample(int factor) implements Module {
        @Override
        public NDArray forward(Weights w, boolean training, NDArray x) {
            return x.repeat(2, factor).repeat(3, factor);
        }
    }
}
