package io.visionplatform.vision.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * The building blocks of YOLOv8 / YOLO11 / YOLO26 detectors as inference-only DJL computations. Each block loads its
 * weights from the state dict under its PyTorch prefix, with the shapes its constructor arguments imply, and runs on
 * NDArrays; results are attached to the manager of the block's input, so a caller-owned scope frees them.
 */
final class Blocks {

    private Blocks() {
    }

    /** One block: a function of one feature map. */
    interface Block {
        NDArray forward(NDArray x);
    }

    /** What blocks are built from: the weights and the manager that owns the weight arrays. */
    record Loader(StateDictWeights weights, NDManager manager) {

        NDArray array(float[] values, long... shape) {
            return manager.create(values, new Shape(shape));
        }
    }

    // ---- Conv: Conv2d (no bias) + BatchNorm2d + activation, the BatchNorm folded into the convolution ----

    static final class ConvBn implements Block {
        private final NDArray weight;
        private final NDArray bias;
        private final Shape stride;
        private final Shape padding;
        private final Shape dilation;
        private final int groups;
        private final boolean silu;

        private ConvBn(NDArray weight, NDArray bias, int s, int p, int d, int g, boolean silu) {
            this.weight = weight;
            this.bias = bias;
            this.stride = new Shape(s, s);
            this.padding = new Shape(p, p);
            this.dilation = new Shape(d, d);
            this.groups = g;
            this.silu = silu;
        }

        /** A Conv with padding {@code k / 2} (Ultralytics' autopad), dilation 1. */
        static ConvBn load(Loader l, String prefix, int c1, int c2, int k, int s, int g, boolean act) {
            return load(l, prefix, c1, c2, k, s, k / 2, g, 1, act);
        }

        /**
         * @param act whether the block has its default activation (SiLU) according to the architecture; the
         *        checkpoint's own {@code act} module overrides it when recorded (e.g. SPPF's first Conv had SiLU in
         *        older Ultralytics releases and none in newer ones)
         */
        static ConvBn load(Loader l, String prefix, int c1, int c2, int k, int s, int p, int g, int d, boolean act) {
            StateDictWeights.FoldedConv folded = l.weights().foldedConv(prefix, c1, c2, k, g);
            boolean silu = l.weights().silu(prefix, act);
            return new ConvBn(l.array(folded.weight(), c2, c1 / g, k, k), l.array(folded.bias(), c2), s, p, d, g,
                    silu);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray y = Conv2d.conv2d(x, weight, bias, stride, padding, dilation, groups).singletonOrThrow();
            return silu ? y.mul(Activation.sigmoid(y)) : y;
        }
    }

    /** A plain Conv2d with bias (the last layer of each Detect branch). */
    static final class PlainConv implements Block {
        private final NDArray weight;
        private final NDArray bias;

        PlainConv(Loader l, String prefix, int c1, int c2) {
            this.weight = l.array(l.weights().take(prefix + ".weight", c2, c1, 1, 1), c2, c1, 1, 1);
            this.bias = l.array(l.weights().take(prefix + ".bias", c2), c2);
        }

        @Override
        public NDArray forward(NDArray x) {
            return Conv2d.conv2d(x, weight, bias).singletonOrThrow();
        }
    }

    /** Blocks applied one after the other ({@code nn.Sequential}). */
    record Sequence(List<Block> blocks) implements Block {

        Sequence {
            blocks = List.copyOf(blocks);
        }

        static Sequence of(Block... blocks) {
            return new Sequence(List.of(blocks));
        }

        @Override
        public NDArray forward(NDArray x) {
            for (Block b : blocks) {
                x = b.forward(x);
            }
            return x;
        }
    }

    /** {@code Bottleneck(c1, c2, shortcut, g, k, e)}: two Convs, plus the input when shortcut and c1 == c2. */
    static final class Bottleneck implements Block {
        private final ConvBn cv1;
        private final ConvBn cv2;
        private final boolean add;

        Bottleneck(Loader l, String prefix, int c1, int c2, boolean shortcut, int g, int k1, int k2, double e) {
            int hidden = (int) (c2 * e);
            cv1 = ConvBn.load(l, prefix + ".cv1", c1, hidden, k1, 1, 1, true);
            cv2 = ConvBn.load(l, prefix + ".cv2", hidden, c2, k2, 1, g, true);
            add = shortcut && c1 == c2;
            l.weights().checkFlag(prefix, "add", add);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray y = cv2.forward(cv1.forward(x));
            return add ? x.add(y) : y;
        }
    }

    /** {@code C3k(c1, c2, n, shortcut, g, e, k)}: a CSP block with n Bottlenecks of kernel k. */
    static final class C3k implements Block {
        private final ConvBn cv1;
        private final ConvBn cv2;
        private final ConvBn cv3;
        private final Sequence m;

        C3k(Loader l, String prefix, int c1, int c2, int n, boolean shortcut, int g, double e, int k) {
            int hidden = (int) (c2 * e);
            cv1 = ConvBn.load(l, prefix + ".cv1", c1, hidden, 1, 1, 1, true);
            cv2 = ConvBn.load(l, prefix + ".cv2", c1, hidden, 1, 1, 1, true);
            cv3 = ConvBn.load(l, prefix + ".cv3", 2 * hidden, c2, 1, 1, 1, true);
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                blocks.add(new Bottleneck(l, prefix + ".m." + i, hidden, hidden, shortcut, g, k, k, 1.0));
            }
            m = new Sequence(blocks);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray a = m.forward(cv1.forward(x));
            return cv3.forward(a.concat(cv2.forward(x), 1));
        }
    }

    /**
     * {@code C2f} and its descendant {@code C3k2}: cv1 splits into two halves of c channels, each inner block extends
     * the list from the last element, cv2 fuses the concatenation of all of them.
     */
    static final class CspBlock implements Block {
        private final ConvBn cv1;
        private final ConvBn cv2;
        private final List<Block> m;
        private final int c;

        private CspBlock(ConvBn cv1, ConvBn cv2, List<Block> m, int c) {
            this.cv1 = cv1;
            this.cv2 = cv2;
            this.m = List.copyOf(m);
            this.c = c;
        }

        static CspBlock c2f(Loader l, String prefix, YoloArchitecture.C2fSpec s) {
            int c = (int) (s.c2() * s.e());
            List<Block> m = new ArrayList<>();
            for (int i = 0; i < s.n(); i++) {
                m.add(new Bottleneck(l, prefix + ".m." + i, c, c, s.shortcut(), s.g(), 3, 3, 1.0));
            }
            return build(l, prefix, s.c1(), s.c2(), s.n(), c, m);
        }

        static CspBlock c3k2(Loader l, String prefix, YoloArchitecture.C3k2Spec s) {
            int c = (int) (s.c2() * s.e());
            List<Block> m = new ArrayList<>();
            for (int i = 0; i < s.n(); i++) {
                String p = prefix + ".m." + i;
                if (s.attn()) {
                    m.add(Sequence.of(new Bottleneck(l, p + ".0", c, c, s.shortcut(), s.g(), 3, 3, 0.5),
                            new PsaBlock(l, p + ".1", c, 0.5, Math.max(c / 64, 1), true)));
                } else if (s.c3k()) {
                    m.add(new C3k(l, p, c, c, 2, s.shortcut(), s.g(), 0.5, 3));
                } else {
                    m.add(new Bottleneck(l, p, c, c, s.shortcut(), s.g(), 3, 3, 0.5));
                }
            }
            return build(l, prefix, s.c1(), s.c2(), s.n(), c, m);
        }

        private static CspBlock build(Loader l, String prefix, int c1, int c2, int n, int c, List<Block> m) {
            // cv1 and cv2 come first in the state dict, but reading order does not matter
            ConvBn cv1 = ConvBn.load(l, prefix + ".cv1", c1, 2 * c, 1, 1, 1, true);
            ConvBn cv2 = ConvBn.load(l, prefix + ".cv2", (2 + n) * c, c2, 1, 1, 1, true);
            return new CspBlock(cv1, cv2, m, c);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDList parts = cv1.forward(x).split(new long[] { c }, 1);
            List<NDArray> ys = new ArrayList<>(parts);
            for (Block b : m) {
                ys.add(b.forward(ys.get(ys.size() - 1)));
            }
            return cv2.forward(NDArrays.concat(new NDList(ys), 1));
        }
    }

    /** {@code SPPF(c1, c2, k, n, shortcut)}: cv1, n chained k x k max-pools (stride 1), concat, cv2. */
    static final class Sppf implements Block {
        private final ConvBn cv1;
        private final ConvBn cv2;
        private final Shape kernel;
        private final Shape padding;
        private final int n;
        private final boolean add;

        Sppf(Loader l, String prefix, YoloArchitecture.SppfSpec s) {
            int hidden = s.c1() / 2;
            // Current Ultralytics builds cv1 without activation; the checkpoint's act module decides
            cv1 = ConvBn.load(l, prefix + ".cv1", s.c1(), hidden, 1, 1, 1, false);
            cv2 = ConvBn.load(l, prefix + ".cv2", hidden * (s.n() + 1), s.c2(), 1, 1, 1, true);
            kernel = new Shape(s.k(), s.k());
            padding = new Shape(s.k() / 2, s.k() / 2);
            n = s.n();
            add = s.shortcut() && s.c1() == s.c2();
            l.weights().checkFlag(prefix, "add", add);
            l.weights().checkSppf(prefix, n);
        }

        @Override
        public NDArray forward(NDArray x) {
            List<NDArray> ys = new ArrayList<>();
            ys.add(cv1.forward(x));
            for (int i = 0; i < n; i++) {
                ys.add(Pool.maxPool2d(ys.get(i), kernel, new Shape(1, 1), padding, false));
            }
            NDArray y = cv2.forward(NDArrays.concat(new NDList(ys), 1));
            return add ? y.add(x) : y;
        }
    }

    /**
     * Multi-head self-attention over the H x W positions: a 1x1 Conv gives per head key_dim queries, key_dim keys and
     * head_dim values; softmax(q^T k * key_dim^-0.5); a depthwise 3x3 Conv of the values is added as positional
     * encoding; a 1x1 projection closes it. No activations.
     */
    static final class Attention implements Block {
        private final ConvBn qkv;
        private final ConvBn proj;
        private final ConvBn pe;
        private final int heads;
        private final int keyDim;
        private final int headDim;
        private final float scale;

        Attention(Loader l, String prefix, int dim, int heads, double attnRatio) {
            AttentionGeometry geometry = AttentionGeometry.of(prefix, dim, heads, attnRatio);
            this.heads = heads;
            this.headDim = geometry.headDim();
            this.keyDim = geometry.keyDim();
            this.scale = geometry.scale();
            qkv = ConvBn.load(l, prefix + ".qkv", dim, geometry.qkvChannels(), 1, 1, 1, false);
            proj = ConvBn.load(l, prefix + ".proj", dim, dim, 1, 1, 1, false);
            pe = ConvBn.load(l, prefix + ".pe", dim, dim, 3, 1, dim, false);
            l.weights().checkAttention(prefix, geometry);
        }

        @Override
        public NDArray forward(NDArray x) {
            Shape s = x.getShape();
            long b = s.get(0);
            long c = s.get(1);
            long hh = s.get(2);
            long ww = s.get(3);
            long n = hh * ww;
            NDList qkvParts = qkv.forward(x).reshape(b, heads, 2L * keyDim + headDim, n)
                    .split(new long[] { keyDim, 2L * keyDim }, 2);
            NDArray q = qkvParts.get(0);
            NDArray k = qkvParts.get(1);
            NDArray v = qkvParts.get(2);
            NDArray attn = q.transpose(0, 1, 3, 2).matMul(k).mul(scale).softmax(3);
            NDArray y = v.matMul(attn.transpose(0, 1, 3, 2)).reshape(b, c, hh, ww);
            y = y.add(pe.forward(v.reshape(b, c, hh, ww)));
            return proj.forward(y);
        }
    }

    /** {@code PSABlock(c, attn_ratio, num_heads, shortcut)}: attention and a 2x feed-forward, each residual. */
    static final class PsaBlock implements Block {
        private final Attention attn;
        private final ConvBn ffn0;
        private final ConvBn ffn1;
        private final boolean add;

        PsaBlock(Loader l, String prefix, int c, double attnRatio, int heads, boolean shortcut) {
            attn = new Attention(l, prefix + ".attn", c, heads, attnRatio);
            ffn0 = ConvBn.load(l, prefix + ".ffn.0", c, 2 * c, 1, 1, 1, true);
            ffn1 = ConvBn.load(l, prefix + ".ffn.1", 2 * c, c, 1, 1, 1, false);
            add = shortcut;
            l.weights().checkFlag(prefix, "add", add);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray a = attn.forward(x);
            x = add ? x.add(a) : a;
            NDArray f = ffn1.forward(ffn0.forward(x));
            return add ? x.add(f) : f;
        }
    }

    /** {@code C2PSA(c1, c2, n, e)}: cv1 splits in two halves; n PSABlocks on the second; cv2 fuses. */
    static final class C2Psa implements Block {
        private final ConvBn cv1;
        private final ConvBn cv2;
        private final Sequence m;
        private final int c;

        C2Psa(Loader l, String prefix, YoloArchitecture.C2PsaSpec s) {
            c = (int) (s.c1() * s.e());
            cv1 = ConvBn.load(l, prefix + ".cv1", s.c1(), 2 * c, 1, 1, 1, true);
            cv2 = ConvBn.load(l, prefix + ".cv2", 2 * c, s.c1(), 1, 1, 1, true);
            int heads = c / 64;
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < s.n(); i++) {
                blocks.add(new PsaBlock(l, prefix + ".m." + i, c, 0.5, heads, true));
            }
            m = new Sequence(blocks);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDList ab = cv1.forward(x).split(new long[] { c }, 1);
            return cv2.forward(ab.get(0).concat(m.forward(ab.get(1)), 1));
        }
    }

    /** Nearest-neighbour upsampling by an integer factor. */
    record Upsample(int factor) implements Block {
        @Override
        public NDArray forward(NDArray x) {
            return x.repeat(2, factor).repeat(3, factor);
        }
    }
}
