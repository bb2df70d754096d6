package io.visionplatform.vision.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.visionplatform.vision.detect.InferenceException;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.nn.Blocks.Block;
import io.visionplatform.vision.pt.Checkpoint;

/**
 * A YOLOv8 / YOLO11 / YOLO26 detection network built from an Ultralytics checkpoint's own architecture definition and
 * weights, running on DJL's PyTorch engine (libtorch; the engine's default device, so a GPU when DJL finds one).
 * <p>
 * Building resolves the {@code yaml} with {@link YoloArchitecture}, creates every block with the channel counts it
 * implies, and takes each state-dict tensor by name with the shape the block expects: a wrong shape, a missing tensor
 * or a tensor nobody took fails the load with a {@link ModelLoadException}. Conv + BatchNorm pairs are fused into one
 * convolution (float16 weights → float32, as Ultralytics' {@code fuse()} after {@code float()}).
 * <p>
 * {@link #forward} returns what the Ultralytics model returns in inference, the layout of its ONNX export:
 * {@code [1, 4 + nc, N]} ({@code cx, cy, w, h} in input pixels and sigmoid class scores per anchor) or, for end-to-end
 * heads, {@code [1, k, 6]} ({@code x1, y1, x2, y2, score, class}, the top {@code k = min(max_det, N)} (anchor, class)
 * pairs by score). Each call works in its own NDManager scope, freed per layer and at the end; concurrent calls are
 * safe (the weights are read-only). Close the network once no call is in flight.
 */
public final class YoloNetwork implements AutoCloseable {

    /** Which branches of the Detect head produce the output. */
    public enum Head {
        /** The NMS-free branches of an end-to-end head: output {@code [1, k, 6]}. */
        ONE_TO_ONE,
        /** The classic branches (the only ones of YOLOv8 / YOLO11): output {@code [1, 4 + nc, N]}, NMS needed. */
        ONE_TO_MANY
    }

    /** The size Ultralytics runs its stride-finding forward pass at. */
    private static final int STRIDE_PROBE = 256;

    private interface Op {
        NDArray apply(List<NDArray> inputs);
    }

    private final NDManager manager;
    private final YoloArchitecture architecture;
    private final List<Op> ops;
    private final int[] lastUse;
    private final DetectHead head;
    private final long parameterCount;
    private final int tensorCount;
    private final float[] strides;
    private volatile boolean closed;

    private YoloNetwork(NDManager manager, YoloArchitecture architecture, List<Op> ops, DetectHead head,
            long parameterCount, int tensorCount) {
        this.manager = manager;
        this.architecture = architecture;
        this.ops = ops;
        this.head = head;
        this.parameterCount = parameterCount;
        this.tensorCount = tensorCount;
        List<YoloArchitecture.Layer> layers = architecture.layers();
        this.lastUse = new int[layers.size()];
        Arrays.fill(lastUse, -1);
        for (YoloArchitecture.Layer layer : layers) {
            for (int f : layer.from()) {
                if (f >= 0) {
                    lastUse[f] = Math.max(lastUse[f], layer.index());
                }
            }
        }
        this.strides = probeStrides();
    }

    /** Builds the network of {@code checkpoint} on the PyTorch engine's default device. */
    public static YoloNetwork load(Checkpoint checkpoint) {
        return load(checkpoint, null);
    }

    /**
     * Builds the network of {@code checkpoint} on {@code device} (null: the engine's default).
     *
     * @throws ModelLoadException when the checkpoint is not a supported detection model or its weights do not match
     *         its architecture
     */
    public static YoloNetwork load(Checkpoint checkpoint, Device device) {
        return load(checkpoint, checkpoint.modelYaml(), device);
    }

    /** Builds the weights of {@code checkpoint} into the architecture of {@code yaml} (tests feed altered ones). */
    static YoloNetwork load(Checkpoint checkpoint, Map<String, Object> yaml, Device device) {
        if (!"detect".equals(checkpoint.task())) {
            throw new ModelLoadException("only detection models are supported, this one is '" + checkpoint.task() + "'");
        }
        YoloArchitecture arch = YoloArchitecture.parse(yaml);
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new ModelLoadException("DJL's PyTorch engine is not available: " + e.getMessage(), e);
        }
        NDManager manager = NDManager.newBaseManager(device == null ? engine.defaultDevice() : device, "PyTorch");
        try {
            StateDictWeights weights = new StateDictWeights(checkpoint);
            Blocks.Loader loader = new Blocks.Loader(weights, manager);
            List<Op> ops = new ArrayList<>();
            DetectHead head = null;
            for (YoloArchitecture.Layer layer : arch.layers()) {
                String prefix = "model." + layer.index();
                weights.checkLayerClass(prefix, layer);
                YoloArchitecture.Spec spec = layer.spec();
                if (spec instanceof YoloArchitecture.ConvSpec s) {
                    ops.add(single(Blocks.ConvBn.load(loader, prefix, s.c1(), s.c2(), s.k(), s.s(), s.p(), s.g(), s.d(),
                            s.act())));
                } else if (spec instanceof YoloArchitecture.C2fSpec s) {
                    ops.add(single(Blocks.CspBlock.c2f(loader, prefix, s)));
                } else if (spec instanceof YoloArchitecture.C3k2Spec s) {
                    ops.add(single(Blocks.CspBlock.c3k2(loader, prefix, s)));
                } else if (spec instanceof YoloArchitecture.C3kSpec s) {
                    ops.add(single(new Blocks.C3k(loader, prefix, s.c1(), s.c2(), s.n(), s.shortcut(), s.g(), s.e(),
                            s.k())));
                } else if (spec instanceof YoloArchitecture.BottleneckSpec s) {
                    ops.add(single(new Blocks.Bottleneck(loader, prefix, s.c1(), s.c2(), s.shortcut(), s.g(), s.k1(),
                            s.k2(), s.e())));
                } else if (spec instanceof YoloArchitecture.SppfSpec s) {
                    ops.add(single(new Blocks.Sppf(loader, prefix, s)));
                } else if (spec instanceof YoloArchitecture.C2PsaSpec s) {
                    ops.add(single(new Blocks.C2Psa(loader, prefix, s)));
                } else if (spec instanceof YoloArchitecture.UpsampleSpec s) {
                    ops.add(single(new Blocks.Upsample(s.scale())));
                } else if (spec instanceof YoloArchitecture.ConcatSpec s) {
                    ops.add(inputs -> NDArrays.concat(new NDList(inputs), s.dim()));
                } else if (spec instanceof YoloArchitecture.DetectSpec s) {
                    head = DetectHead.load(loader, prefix, s, weights.has(prefix + ".cv2.0.0.conv.weight"));
                    ops.add(null); // run by the network itself
                } else {
                    throw new ModelLoadException(prefix + ": unsupported layer " + layer.module());
                }
            }
            weights.requireAllTaken(List.of());
            return new YoloNetwork(manager, arch, ops, head, weights.parameterElements(), weights.consumedCount());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Op single(Block block) {
        return inputs -> block.forward(inputs.get(0));
    }

    public YoloArchitecture architecture() {
        return architecture;
    }

    /** Elements of all parameters taken from the checkpoint (unfused: convolutions, BatchNorm affine, biases, DFL). */
    public long parameterCount() {
        return parameterCount;
    }

    /** State-dict tensors taken (all of them, or the load fails). */
    public int tensorCount() {
        return tensorCount;
    }

    /** Per detection level, input pixels per feature cell, found as Ultralytics does (a 256 x 256 forward pass). */
    public float[] strides() {
        return strides.clone();
    }

    /** The largest stride: input sizes must be multiples of it. */
    public int maxStride() {
        float max = 0;
        for (float s : strides) {
            max = Math.max(max, s);
        }
        return (int) max;
    }

    public boolean endToEnd() {
        return head.spec().end2end();
    }

    /** The head {@link #forward(float[], int, int)} uses: one-to-one for end-to-end models. */
    public Head defaultHead() {
        return endToEnd() ? Head.ONE_TO_ONE : Head.ONE_TO_MANY;
    }

    /** Whether {@code head} can be used with this checkpoint. */
    public boolean has(Head h) {
        return h == Head.ONE_TO_ONE ? head.hasOneToOne() : head.hasOneToMany();
    }

    /** The head's {@code max_det}: rows of the end-to-end output (fewer when there are fewer anchors). */
    public int maxDet() {
        return head.maxDet();
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Runs the network with its {@link #defaultHead()}. */
    public RawOutput forward(float[] nchw, int height, int width) {
        return forward(nchw, height, width, defaultHead());
    }

    /**
     * Runs the network on an NCHW (batch 1) RGB float tensor whose height and width are multiples of
     * {@link #maxStride()}.
     */
    public RawOutput forward(float[] nchw, int height, int width, Head which) {
        if (closed) {
            throw new IllegalStateException("network is closed");
        }
        int c = architecture.inputChannels();
        if (height <= 0 || width <= 0 || nchw.length != (long) c * height * width) {
            throw new IllegalArgumentException("tensor has " + nchw.length + " values, expected " + c + " x " + height
                    + " x " + width);
        }
        int stride = maxStride();
        if (height % stride != 0 || width % stride != 0) {
            throw new IllegalArgumentException("input " + width + "x" + height + " is not a multiple of the stride "
                    + stride);
        }
        if (!has(which)) {
            throw new IllegalArgumentException("this checkpoint has no " + which + " head");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(nchw, new Shape(1, c, height, width));
            NDArray out = run(scope, input, which == Head.ONE_TO_ONE);
            long[] shape = out.getShape().getShape();
            if (which == Head.ONE_TO_ONE) {
                return topK(out);
            }
            return new RawOutput(shape, out.toFloatArray());
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                throw e;
            }
            throw new InferenceException("inference failed: " + e.getMessage(), e);
        }
    }

    /** The layers up to the head; returns the decoded head output, or the head's inputs when {@code headInputs}. */
    private List<NDArray> layers(NDManager scope, NDArray input, boolean oneToOne, boolean headInputs) {
        List<YoloArchitecture.Layer> layers = architecture.layers();
        NDArray[] outputs = new NDArray[layers.size()];
        for (YoloArchitecture.Layer layer : layers) {
            int i = layer.index();
            List<NDArray> inputs = new ArrayList<>(layer.from().size());
            for (int f : layer.from()) {
                inputs.add(f < 0 ? input : outputs[f]);
            }
            boolean isHead = ops.get(i) == null;
            if (isHead && headInputs) {
                return inputs;
            }
            NDArray out;
            // intermediates of one layer live in their own scope; only the layer's output is kept
            try (NDManager layerScope = scope.newSubManager()) {
                Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());
                for (NDArray in : inputs) {
                    if (attached.add(in)) {
                        in.tempAttach(layerScope);
                    }
                }
                out = isHead ? head.forward(inputs, strides, oneToOne) : ops.get(i).apply(inputs);
                out.attach(scope);
            }
            outputs[i] = out;
            for (int f : layer.from()) {
                if (f >= 0 && lastUse[f] == i && outputs[f] != null) {
                    outputs[f].close();
                    outputs[f] = null;
                }
            }
            if (isHead) {
                return List.of(out);
            }
        }
        throw new IllegalStateException("no Detect layer");
    }

    private NDArray run(NDManager scope, NDArray input, boolean oneToOne) {
        return layers(scope, input, oneToOne, false).get(0);
    }

    /**
     * The end-to-end selection: the {@code k} anchors with the highest best-class score, then the {@code k} highest
     * (anchor, class) scores among them, each row {@code x1, y1, x2, y2, score, class}, highest first.
     */
    private RawOutput topK(NDArray decoded) {
        int nc = head.spec().nc();
        int n = (int) decoded.getShape().get(2);
        int k = Math.min(head.maxDet(), n);
        float[] all = decoded.toFloatArray(); // [4 + nc, N]
        NDArray scores = decoded.get("0, 4:, :"); // [nc, N]
        long[] anchorIdx = scores.max(new int[] { 0 }).topK(k, 0, true, true).get(1).toLongArray();
        float[] candidates = new float[k * nc];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < nc; c++) {
                candidates[j * nc + c] = all[(4 + c) * n + (int) anchorIdx[j]];
            }
        }
        NDList best = scores.getManager().create(candidates).topK(k, 0, true, true);
        float[] values = best.get(0).toFloatArray();
        long[] flat = best.get(1).toLongArray();
        float[] rows = new float[k * 6];
        for (int r = 0; r < k; r++) {
            int anchor = (int) anchorIdx[(int) (flat[r] / nc)];
            int cls = (int) (flat[r] % nc);
            for (int j = 0; j < 4; j++) {
                rows[r * 6 + j] = all[j * n + anchor];
            }
            rows[r * 6 + 4] = values[r];
            rows[r * 6 + 5] = cls;
        }
        return new RawOutput(new long[] { 1, k, 6 }, rows);
    }

    private float[] probeStrides() {
        try (NDManager scope = manager.newSubManager()) {
            int c = architecture.inputChannels();
            NDArray zeros = scope.zeros(new Shape(1, c, STRIDE_PROBE, STRIDE_PROBE));
            List<NDArray> features = layers(scope, zeros, false, true);
            float[] s = new float[features.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) STRIDE_PROBE / features.get(i).getShape().get(2);
            }
            return s;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "YoloNetwork[" + architecture + ", end2end=" + endToEnd() + ", params=" + parameterCount + ", device="
                + manager.getDevice() + "]";
    }

    /** For tests: arrays currently held by the network's manager (its weights). */
    int managedArrays() {
        return manager.getManagedArrays().size();
    }
}
