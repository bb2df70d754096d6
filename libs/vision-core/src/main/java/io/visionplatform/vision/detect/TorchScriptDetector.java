package io.visionplatform.vision.detect;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.metadata.MetadataFormatException;
import io.visionplatform.vision.metadata.ModelMetadata;

/**
 * Runs an Ultralytics YOLO detection export in TorchScript ({@code model.torchscript}, {@code format="torchscript"})
 * through DJL's PyTorch engine, exactly like {@link OnnxDetector} runs the ONNX export: full letterbox to the metadata
 * {@code imgsz} (Ultralytics traces TorchScript at that fixed size), forward pass, output 0 decoded by
 * {@link YoloDecoder} ({@code [1, 4+nc, N]} with NMS, or end-to-end {@code [1, N, 6]}), boxes mapped back by
 * {@link BoxScaling}.
 * <p>
 * <b>Metadata</b> comes from the archive's extra file {@code config.txt} (JSON, see {@link ModelMetadata#fromJson}).
 * Without it the defaults apply: 640x640 input, stride 32, classes named by their ids.
 * <p>
 * <b>Device</b>: DJL's default device for the PyTorch engine, i.e. the first GPU when a CUDA build of libtorch is on
 * the class path and a GPU is visible, else the CPU; the module is loaded onto that device ({@code mapLocation}).
 * <p>
 * <b>Threads</b>: one instance may serve many threads at once. A DJL {@link Predictor} is not thread-safe, so each
 * call creates its own (cheap: a native tensor manager, no copy of the weights) and closes it; the TorchScript module
 * itself is shared, and libtorch allows concurrent inference-only forward calls on one module. {@link #close()} waits
 * for calls in flight, so the native module is never freed under a running forward.
 * <p>
 * <b>Natives</b>: the class sets {@code ai.djl.offline=true} (unless the property is already set) before DJL starts, so
 * libtorch is taken from the {@code pytorch-native-cpu} jar on the class path and never downloaded. DJL unpacks it
 * once to {@code ~/.djl.ai} ({@code DJL_CACHE_DIR} moves it).
 */
public final class TorchScriptDetector implements Detector {

    static {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /** DJL's name of the PyTorch engine. */
    public static final String ENGINE = "PyTorch";
    /** The extra file Ultralytics writes its metadata to. */
    public static final String CONFIG_FILE = "config.txt";
    /** Ultralytics' default {@code imgsz}, for exports without {@code imgsz} metadata. */
    private static final int DEFAULT_IMGSZ = 640;

    private final Model model;
    private final ModelMetadata metadata;
    private final Letterbox letterbox;
    private final OutputTranslator translator = new OutputTranslator();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private TorchScriptDetector(Model model, ModelMetadata metadata) {
        this.model = model;
        this.metadata = metadata;
        List<Integer> imgsz = metadata.imgsz().isEmpty() ? List.of(DEFAULT_IMGSZ, DEFAULT_IMGSZ) : metadata.imgsz();
        this.letterbox = Letterbox.full(imgsz.get(0), imgsz.get(1));
    }

    public static TorchScriptDetector load(Path model) {
        return load(model, DetectorOptions.defaults());
    }

    /**
     * Loads a TorchScript export, reads its metadata and runs it once on a blank input of the export size to check
     * that it takes that input and returns a detection output (this also warms libtorch's graph executor up).
     *
     * @param options {@link DetectorOptions#intraOpThreads()} &gt; 0 sets libtorch's process-wide intra-op thread count
     * @throws ModelLoadException when the file is missing, is not a TorchScript archive, its metadata is malformed, it
     *         is not a detection model this library runs, or the PyTorch engine cannot start
     */
    public static TorchScriptDetector load(Path model, DetectorOptions options) {
        if (!Files.isRegularFile(model)) {
            throw new ModelLoadException("no TorchScript model file at " + model);
        }
        Engine engine = engine();
        if (options.intraOpThreads() > 0) {
            JniUtils.setNumThreads(options.intraOpThreads());
        }
        Model djlModel = Model.newInstance(modelName(model), engine.defaultDevice(), ENGINE);
        try {
            djlModel.load(model, null, Map.of("extraFiles", CONFIG_FILE, "mapLocation", "true"));
            TorchScriptDetector detector = new TorchScriptDetector(djlModel, metadata(djlModel.getProperty(CONFIG_FILE)));
            detector.check();
            return detector;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            djlModel.close();
            if (e instanceof ModelLoadException m) {
                throw m;
            }
            throw new ModelLoadException("cannot load TorchScript model " + model + ": " + rootMessage(e), e);
        }
    }

    /**
     * Starts (once per JVM) and returns DJL's PyTorch engine; the first call unpacks libtorch if it is not cached yet.
     *
     * @throws ModelLoadException when the engine or its native libraries are missing or do not load
     */
    public static Engine engine() {
        try {
            return Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException("the DJL PyTorch engine is not available (pytorch-engine, pytorch-jni and "
                    + "pytorch-native-cpu must be on the class path): " + e.getMessage(), e);
        }
    }

    private static String modelName(Path model) {
        Path name = model.getFileName();
        return name == null ? "model" : name.toString();
    }

    private static ModelMetadata metadata(String config) {
        if (config == null || config.isBlank()) {
            return ModelMetadata.fromProps(Map.of());
        }
        try {
            return ModelMetadata.fromJson(config);
        } catch (MetadataFormatException e) {
            throw new ModelLoadException("malformed " + CONFIG_FILE + " metadata: " + e.getMessage(), e);
        }
    }

    private void check() {
        if (metadata.task() != null && !"detect".equals(metadata.task())) {
            throw new ModelLoadException("only detection models are supported, this one is '" + metadata.task() + "'");
        }
        if (metadata.batch() > 1) {
            throw new ModelLoadException(
                    "only batch-1 exports are supported, got batch " + metadata.batch());
        }
        if (metadata.channels() != 3) {
            throw new ModelLoadException("only 3-channel (RGB) models are supported, got " + metadata.channels());
        }
        if (Boolean.TRUE.equals(metadata.args().get("half"))) {
            throw new ModelLoadException("float16 (half=True) exports are not supported");
        }
        int h = letterbox.targetHeight();
        int w = letterbox.targetWidth();
        RawOutput output;
        try {
            output = run(new float[3 * h * w], h, w);
        } catch (InferenceException e) {
            throw new ModelLoadException("the model does not run on a [1, 3, " + h + ", " + w + "] input: "
                    + e.getMessage(), e);
        }
        long[] shape = output.shape();
        if (shape.length != 3 || shape[0] != 1) {
            throw new ModelLoadException(
                    "output must be [1, 4+classes, anchors] or [1, rows, 6], got " + Arrays.toString(shape));
        }
        boolean endToEnd = metadata.end2end() || shape[2] == 6;
        int classes = metadata.classCount();
        if (!endToEnd && (shape[1] < 5 || classes > 0 && shape[1] != 4 + classes)) {
            throw new ModelLoadException("output has " + shape[1] + " rows per anchor but the metadata names " + classes
                    + " classes (expected " + (4 + classes) + ")");
        }
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The letterbox this model's inputs get: the full letterbox to the metadata {@code imgsz}. */
    public Letterbox letterbox() {
        return letterbox;
    }

    /** The device the module runs on, as DJL names it ({@code cpu()}, {@code gpu(0)}). */
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    @Override
    public List<Detection> predict(BgrImage image, double conf, double iou, int maxDet) {
        return DetectionPipeline.predict(image, letterbox, this::forward, metadata.end2end(), metadata::className, conf,
                iou, maxDet);
    }

    /**
     * Runs the model on an NCHW RGB float tensor of batch 1 and returns its output 0 as is (as float32, on the CPU).
     * TorchScript exports are traced at a fixed size: anything but the {@link #letterbox()} size usually fails.
     */
    public RawOutput forward(float[] nchw, int height, int width) {
        if (height <= 0 || width <= 0 || nchw.length != 3L * height * width) {
            throw new IllegalArgumentException("tensor has " + nchw.length + " values, expected 3 x " + height + " x " + width);
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("detector is closed");
            }
            return run(nchw, height, width);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private RawOutput run(float[] nchw, int height, int width) {
        try (Predictor<Input, RawOutput> predictor = model.newPredictor(translator)) {
            return predictor.predict(new Input(nchw, height, width));
        } catch (TranslateException | RuntimeException e) {
            throw new InferenceException("TorchScript inference failed: " + rootMessage(e), e);
        }
    }

    /**
     * The innermost cause's message. libtorch's interpreter errors hold the TorchScript traceback between a header line
     * and the actual error on the last line; keep those two.
     */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() > 2) {
            message = lines.get(0) + " ... " + lines.get(lines.size() - 1);
        }
        return message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private record Input(float[] nchw, int height, int width) {
    }

    /** [1, 3, H, W] float32 in; output 0 copied out as float32. No batchifier: the input already has its batch axis. */
    private static final class OutputTranslator implements Translator<Input, RawOutput> {

        @Override
        public NDList processInput(TranslatorContext ctx, Input input) {
            NDArray array = ctx.getNDManager().create(FloatBuffer.wrap(input.nchw()),
                    new Shape(1, 3, input.height(), input.width()), DataType.FLOAT32);
            return new NDList(array);
        }

        @Override
        public RawOutput processOutput(TranslatorContext ctx, NDList list) {
            if (list.isEmpty()) {
                throw new IllegalStateException("the model returned no tensor");
            }
            NDArray out = list.get(0);
            if (out.getDataType() != DataType.FLOAT32) {
                if (!out.getDataType().isFloating()) {
                    throw new IllegalStateException("output 0 must be a float tensor, got " + out.getDataType());
                }
                out = out.toType(DataType.FLOAT32, false);
            }
            return new RawOutput(out.getShape().getShape(), out.toFloatArray());
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }
}
