package io.visionplatform.vision.train.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.nn.YoloArchitecture;
import io.visionplatform.vision.train.nn.Modules.Conv;
import io.visionplatform.vision.train.nn.Modules.Module;
import io.visionplatform.vision.train.nn.Modules.PlainConv;
import io.visionplatform.vision.train.nn.Modules.Sequence;

/**
 * A YOLOv8 / YOLO11 detection network in training form, built from a {@link YoloArchitecture} with every tensor in a
 * {@link ParameterStore} under its Ultralytics name, initialised as Ultralytics initialises a model built from a yaml
 * (PyTorch's default Conv2d init, BatchNorm at identity, the Detect biases of {@code Detect.bias_init}).
 * <p>
 * {@link #forward} gives the raw head output {@code [B, 4 * reg_max + nc, N]} (box distribution logits, then class
 * logits; anchors level by level, row-major) that the loss and the decoder work from.
 */
public final class TrainableNetwork {

    /** Ultralytics' reference input size for the class-bias prior. */
    private static final double BIAS_REFERENCE_SIZE = 640.0;

    private final YoloArchitecture architecture;
    private final List<Module> layers;
    private final List<Module> boxBranches = new ArrayList<>();
    private final List<Module> classBranches = new ArrayList<>();
    private final float[] strides;

    private TrainableNetwork(YoloArchitecture architecture, List<Module> layers, float[] strides) {
        this.architecture = architecture;
        this.layers = layers;
        this.strides = strides;
    }

    /**
     * Creates the network's tensors in {@code store}.
     *
     * @throws ModelLoadException for end-to-end heads (YOLO26, YOLOv10), whose one-to-one training is not supported
     */
    public static TrainableNetwork build(YoloArchitecture arch, ParameterStore store) {
        YoloArchitecture.DetectSpec detect = arch.detect();
        if (detect.end2end()) {
            throw new ModelLoadException("training end-to-end (NMS-free) heads such as YOLO26 is not supported yet; "
                    + "train a yolov8 or yolo11 architecture");
        }
        float[] strides = strides(arch);
        List<Module> layers = new ArrayList<>();
        for (YoloArchitecture.Layer layer : arch.layers()) {
            String prefix = "model." + layer.index();
            YoloArchitecture.Spec spec = layer.spec();
            if (spec instanceof YoloArchitecture.ConvSpec s) {
                layers.add(new Conv(store, prefix, s.c1(), s.c2(), s.k(), s.s(), s.p(), s.g(), s.d(), s.act()));
            } else if (spec instanceof YoloArchitecture.C2fSpec s) {
                layers.add(Modules.Csp.c2f(store, prefix, s));
            } else if (spec instanceof YoloArchitecture.C3k2Spec s) {
                layers.add(Modules.Csp.c3k2(store, prefix, s));
            } else if (spec instanceof YoloArchitecture.C3kSpec s) {
                layers.add(new Modules.C3k(store, prefix, s.c1(), s.c2(), s.n(), s.shortcut(), s.g(), s.e(), s.k()));
            } else if (spec instanceof YoloArchitecture.BottleneckSpec s) {
                layers.add(new Modules.Bottleneck(store, prefix, s.c1(), s.c2(), s.shortcut(), s.g(), s.k1(), s.k2(),
                        s.e()));
            } else if (spec instanceof YoloArchitecture.SppfSpec s) {
                // Ultralytics 8.4 builds SPPF's first Conv without an activation
                layers.add(new Modules.Sppf(store, prefix, s, false));
            } else if (spec instanceof YoloArchitecture.C2PsaSpec s) {
                layers.add(new Modules.C2Psa(store, prefix, s));
            } else if (spec instanceof YoloArchitecture.UpsampleSpec s) {
                layers.add(new Modules.Upsample(s.scale()));
            } else if (spec instanceof YoloArchitecture.ConcatSpec s) {
                layers.add(null); // concatenation of the inputs, done by the network
            } else if (spec instanceof YoloArchitecture.DetectSpec s) {
                layers.add(null); // the head, run by the network
            } else {
                throw new ModelLoadException(prefix + ": unsupported layer " + layer.module());
            }
        }
        TrainableNetwork network = new TrainableNetwork(arch, layers, strides);
        network.buildHead(store, "model." + (arch.layers().size() - 1), detect);
        return network;
    }

    private void buildHead(ParameterStore store, String prefix, YoloArchitecture.DetectSpec spec) {
        int c2 = spec.boxChannels();
        int c3 = spec.classChannels();
        for (int i = 0; i < spec.ch().size(); i++) {
            int x = spec.ch().get(i);
            String b = prefix + ".cv2." + i;
            boxBranches.add(Sequence.of(new Conv(store, b + ".0", x, c2, 3, 1, 1, true),
                    new Conv(store, b + ".1", c2, c2, 3, 1, 1, true),
                    new PlainConv(store, b + ".2", c2, 4 * spec.regMax(), 1.0f)));
            String c = prefix + ".cv3." + i;
            // Detect.bias_init: a prior of 5 objects per 640 px image spread over the level's cells
            float classBias = (float) Math.log(5.0 / spec.nc() / Math.pow(BIAS_REFERENCE_SIZE / strides[i], 2));
            if (spec.legacy()) {
                classBranches.add(Sequence.of(new Conv(store, c + ".0", x, c3, 3, 1, 1, true),
                        new Conv(store, c + ".1", c3, c3, 3, 1, 1, true),
                        new PlainConv(store, c + ".2", c3, spec.nc(), classBias)));
            } else {
                classBranches.add(Sequence.of(
                        Sequence.of(new Conv(store, c + ".0.0", x, x, 3, 1, x, true),
                                new Conv(store, c + ".0.1", x, c3, 1, 1, 1, true)),
                        Sequence.of(new Conv(store, c + ".1.0", c3, c3, 3, 1, c3, true),
                                new Conv(store, c + ".1.1", c3, c3, 1, 1, 1, true)),
                        new PlainConv(store, c + ".2", c3, spec.nc(), classBias)));
            }
        }
        if (spec.regMax() > 1) {
            float[] bins = new float[spec.regMax()];
            for (int i = 0; i < bins.length; i++) {
                bins[i] = i;
            }
            store.add(prefix + ".dfl.conv.weight", ParameterStore.Kind.BUFFER, bins, 1, spec.regMax(), 1, 1);
        }
    }

    /** Strides of the head's input levels: 2 to the number of stride-2 Convs on each input's path. */
    private static float[] strides(YoloArchitecture arch) {
        List<YoloArchitecture.Layer> layers = arch.layers();
        int[] stride = new int[layers.size()];
        for (YoloArchitecture.Layer layer : layers) {
            int in = 1;
            for (int f : layer.from()) {
                in = Math.max(in, f < 0 ? 1 : stride[f]);
            }
            if (layer.spec() instanceof YoloArchitecture.ConvSpec s) {
                in *= s.s();
            } else if (layer.spec() instanceof YoloArchitecture.UpsampleSpec s) {
                in /= s.scale();
            }
            stride[layer.index()] = in;
        }
        YoloArchitecture.Layer head = layers.get(layers.size() - 1);
        float[] out = new float[head.from().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = stride[head.from().get(i)];
        }
        return out;
    }

    public YoloArchitecture architecture() {
        return architecture;
    }

    public float[] strides() {
        return strides.clone();
    }

    public int maxStride() {
        int m = 0;
        for (float s : strides) {
            m = Math.max(m, (int) s);
        }
        return m;
    }

    public int classCount() {
        return architecture.detect().nc();
    }

    public int regMax() {
        return architecture.detect().regMax();
    }

    /**
     * The raw head output {@code [B, 4 * reg_max + nc, N]}.
     *
     * @param training BatchNorm on batch statistics (updating the running ones) rather than the running ones
     */
    public NDArray forward(Weights weights, boolean training, NDArray input) {
        List<YoloArchitecture.Layer> specs = architecture.layers();
        NDArray[] outputs = new NDArray[specs.size()];
        for (YoloArchitecture.Layer layer : specs) {
            int i = layer.index();
            List<NDArray> inputs = new ArrayList<>(layer.from().size());
            for (int f : layer.from()) {
                inputs.add(f < 0 ? input : outputs[f]);
            }
            if (i == specs.size() - 1) {
                return head(weights, training, inputs);
            }
            Module m = layers.get(i);
            outputs[i] = m == null ? NDArrays.concat(new NDList(inputs), 1) : m.forward(weights, training, inputs.get(0));
        }
        throw new IllegalStateException("no Detect layer");
    }

    private NDArray head(Weights weights, boolean training, List<NDArray> features) {
        NDList levels = new NDList(features.size());
        for (int i = 0; i < features.size(); i++) {
            NDArray f = features.get(i);
            long b = f.getShape().get(0);
            long cells = f.getShape().get(2) * f.getShape().get(3);
            NDArray box = boxBranches.get(i).forward(weights, training, f);
            NDArray cls = classBranches.get(i).forward(weights, training, f);
            levels.add(box.concat(cls, 1).reshape(b, box.getShape().get(1) + cls.getShape().get(1), cells));
        }
        return NDArrays.concat(levels, 2);
    }
}
