package io.visionplatform.vision.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.pt.CheckpointWriter;
import io.visionplatform.vision.pt.PyObject;
import io.visionplatform.vision.pt.Tensor;
import io.visionplatform.vision.pt.TensorData;

/**
 * Writes Ultralytics-style detection checkpoints ({@code best.pt}, {@code last.pt}) from an architecture definition
 * and a state dict, in the form Ultralytics' trainer saves after {@code strip_optimizer}: the root dict ({@code date},
 * {@code version}, {@code license}, {@code docs}, {@code epoch}, {@code best_fitness}, {@code model}, {@code ema}
 * None, {@code updates}, {@code optimizer}, {@code scaler} None, {@code train_args}, then {@code extra}) and the model
 * as a pickled {@code ultralytics.nn.tasks.DetectionModel} whose module tree (built by {@link UltralyticsModelTree})
 * holds the weights. {@link Checkpoint}, {@link YoloNetwork} and the ONNX exporter read the result like a checkpoint
 * Ultralytics wrote; the module classes and attributes are Ultralytics' own, so that {@code torch.load} with Ultralytics
 * installed can rebuild the model too.
 *
 * <pre>{@code
 * UltralyticsCheckpoint.write(Path.of("runs/train/weights/best.pt"), new UltralyticsCheckpoint.Spec(yaml, names,
 *         stateDict, trainArgs, epoch, fitness, true, Map.of("train_metrics", metrics)));
 * }</pre>
 */
public final class UltralyticsCheckpoint {

    /** The Ultralytics release whose checkpoint layout this writer follows (recorded as {@code version}). */
    public static final String ULTRALYTICS_VERSION = "8.4.50";
    static final String LICENSE = "AGPL-3.0 (https://ultralytics.com/license)";
    static final String DOCS = "https://docs.ultralytics.com";

    /**
     * What to write.
     *
     * @param yaml the model definition ({@code nc}, {@code scales}/{@code scale}, {@code backbone}, {@code head}, ...),
     *        stored as the model's {@code yaml}; {@code nc} must equal the number of names
     * @param names class names by class id
     * @param stateDict every parameter and buffer by Ultralytics' name ({@code model.0.conv.weight},
     *        {@code model.0.bn.running_mean}, ...) with the shape the definition implies; float tensors of any precision
     *        ({@code num_batches_tracked} may be left out: written as 0); its order does not matter
     * @param trainArgs the training arguments ({@code train_args}, and the model's {@code args} with {@code task}
     *        defaulting to {@code detect}); may be empty
     * @param epoch the last finished epoch, or {@code -1} for a final checkpoint; null for None
     * @param bestFitness the best fitness so far; null for None
     * @param half whether to store float tensors as float16 (Ultralytics' choice) rather than float32
     * @param extra further root entries ({@code train_metrics}, {@code train_results}, {@code git}, ...), which also
     *        replace the defaults of the same name (e.g. {@code date})
     */
    public record Spec(Map<String, Object> yaml, List<String> names, Map<String, TensorData> stateDict,
            Map<String, Object> trainArgs, Integer epoch, Double bestFitness, boolean half, Map<String, Object> extra) {

        public Spec {
            Objects.requireNonNull(yaml, "yaml");
            names = List.copyOf(names);
            Objects.requireNonNull(stateDict, "stateDict");
            trainArgs = trainArgs == null ? Map.of() : trainArgs;
            extra = extra == null ? Map.of() : extra;
        }
    }

    private UltralyticsCheckpoint() {
    }

    /**
     * Writes {@code spec} to {@code file} atomically (see {@link CheckpointWriter}).
     *
     * @throws io.visionplatform.vision.detect.ModelLoadException when the definition is not a supported architecture
     * @throws IllegalArgumentException when the state dict or names do not fit the definition (nothing is written)
     * @throws IOException when writing fails (nothing is left behind)
     */
    public static void write(Path file, Spec spec) throws IOException {
        CheckpointWriter.write(file, root(spec));
    }

    /** The root dict {@link #write} pickles. */
    static Map<String, Object> root(Spec spec) {
        YoloArchitecture architecture = YoloArchitecture.parse(spec.yaml());
        if (architecture.nc() != spec.names().size()) {
            throw new IllegalArgumentException("the definition has nc=" + architecture.nc() + " but "
                    + spec.names().size() + " names are given");
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", LocalDateTime.now().toString());
        root.put("version", ULTRALYTICS_VERSION);
        root.put("license", LICENSE);
        root.put("docs", DOCS);
        root.put("epoch", spec.epoch() == null ? null : spec.epoch().longValue());
        root.put("best_fitness", spec.bestFitness());
        root.put("model", model(spec, architecture));
        root.put("ema", null);
        root.put("updates", null);
        root.put("optimizer", null);
        root.put("scaler", null);
        root.put("train_args", new LinkedHashMap<>(spec.trainArgs()));
        root.putAll(spec.extra());
        return root;
    }

    private static PyObject model(Spec spec, YoloArchitecture architecture) {
        Map<String, TensorData> weights = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : spec.stateDict().entrySet()) {
            weights.put(e.getKey(), spec.half() ? e.getValue().toFloat16() : e.getValue().toFloat32());
        }
        float[] strides = detectStrides(architecture);
        long[] shape = { strides.length };
        TensorData headStride = spec.half() ? TensorData.ofFloat16(strides, shape) : TensorData.ofFloat32(strides, shape);
        List<Object> rawFrom = rawFrom(spec.yaml());
        TorchModule sequential = UltralyticsModelTree.build(architecture, rawFrom, weights, headStride);

        Map<Long, String> names = new LinkedHashMap<>();
        for (int i = 0; i < spec.names().size(); i++) {
            names.put((long) i, spec.names().get(i));
        }
        Map<String, Object> args = new LinkedHashMap<>(spec.trainArgs());
        args.putIfAbsent("task", "detect");
        // DetectionModel keeps its stride in float32 even in a half checkpoint (its _apply leaves it alone)
        TorchModule model = new TorchModule("ultralytics.nn.tasks.DetectionModel").child("model", sequential)
                .attribute("yaml", spec.yaml())
                .attribute("save", UltralyticsModelTree.saved(rawFrom))
                .attribute("names", names)
                .attribute("inplace", true)
                .attribute("stride", TensorData.ofFloat32(strides, shape))
                .attribute("nc", (long) architecture.nc())
                .attribute("args", args)
                .attribute("criterion", null);
        return model.toPyObject(TorchModule.newCache());
    }

    /** Each layer's {@code from} as written in the definition, backbone then head. */
    private static List<Object> rawFrom(Map<String, Object> yaml) {
        List<Object> out = new ArrayList<>();
        for (String part : new String[] { "backbone", "head" }) {
            for (Object entry : (List<?>) yaml.get(part)) {
                out.add(((List<?>) entry).get(0));
            }
        }
        return out;
    }

    /**
     * Input pixels per feature cell at each Detect input, what Ultralytics measures with a forward pass: strided Convs
     * multiply, upsampling divides, every other block keeps its first input's.
     */
    static float[] detectStrides(YoloArchitecture architecture) {
        List<YoloArchitecture.Layer> layers = architecture.layers();
        double[] stride = new double[layers.size()];
        for (YoloArchitecture.Layer layer : layers) {
            int first = layer.from().get(0);
            double in = first < 0 ? 1 : stride[first];
            if (layer.spec() instanceof YoloArchitecture.ConvSpec s) {
                stride[layer.index()] = in * s.s();
            } else if (layer.spec() instanceof YoloArchitecture.UpsampleSpec s) {
                stride[layer.index()] = in / s.scale();
            } else {
                stride[layer.index()] = in;
            }
        }
        List<Integer> inputs = layers.get(layers.size() - 1).from();
        float[] out = new float[inputs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) stride[inputs.get(i)];
        }
        return out;
    }

    /**
     * The state dict of {@code checkpoint} as float32 copies (integer buffers such as {@code num_batches_tracked} as
     * int64), in its order: the starting point for fine-tuning, or for writing it again.
     */
    public static Map<String, TensorData> stateDictOf(Checkpoint checkpoint) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : checkpoint.stateDict().entrySet()) {
            Tensor t = e.getValue();
            out.put(e.getKey(), t.dtype().isFloatingPoint() ? TensorData.ofFloat32(t.toFloatArray(), t.shape())
                    : TensorData.ofInt64(t.toLongArray(), t.shape()));
        }
        return out;
    }
}
