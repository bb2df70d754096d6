package io.visionplatform.vision.detect;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.metadata.MetadataFormatException;
import io.visionplatform.vision.metadata.ModelMetadata;

/**
 * Runs an Ultralytics YOLO detection export (ONNX) the way {@code YOLO(model).predict(image)} does: letterbox, forward
 * pass, decode ({@code [1, 4+nc, N]} with NMS, or end-to-end {@code [1, N, 6]}), map boxes back to the image.
 * <p>
 * A fixed-shape model gets the full letterbox to its input size; a dynamic one gets the minimal (stride-multiple)
 * letterbox at the metadata {@code imgsz}, as Ultralytics does. One instance may serve many threads at once: ONNX
 * Runtime sessions are safe for concurrent {@code run} calls and everything else here is immutable. Close it once no
 * call is in flight.
 */
public final class OnnxDetector implements Detector {

    public static final double DEFAULT_CONF = Detector.DEFAULT_CONF;
    public static final double DEFAULT_IOU = Detector.DEFAULT_IOU;
    public static final int DEFAULT_MAX_DET = Detector.DEFAULT_MAX_DET;
    /** Ultralytics' default {@code imgsz}, used for dynamic-shape models without {@code imgsz} metadata. */
    private static final int DEFAULT_IMGSZ = 640;
    private static final String PREFERRED_OUTPUT = "output0";

    private final OrtSession session;
    private final OrtSession.SessionOptions sessionOptions;
    private final ModelMetadata metadata;
    private final String inputName;
    private final String outputName;
    private final Letterbox letterbox;
    private volatile boolean closed;

    private OnnxDetector(OrtSession session, OrtSession.SessionOptions sessionOptions) {
        this.session = session;
        this.sessionOptions = sessionOptions;
        try {
            this.metadata = ModelMetadata.fromProps(session.getMetadata().getCustomMetadata());
            this.inputName = session.getInputNames().iterator().next();
            this.outputName = session.getOutputNames().contains(PREFERRED_OUTPUT)
                    ? PREFERRED_OUTPUT
                    : session.getOutputNames().iterator().next();
            this.letterbox = letterboxFor(inputShape(session.getInputInfo().get(inputName)));
            checkOutput(session.getOutputInfo().get(outputName));
        } catch (OrtException e) {
            throw new ModelLoadException("cannot read the model's inputs, outputs or metadata: " + e.getMessage(), e);
        } catch (MetadataFormatException e) {
            throw new ModelLoadException("malformed model metadata: " + e.getMessage(), e);
        }
        if (metadata.task() != null && !"detect".equals(metadata.task())) {
            throw new ModelLoadException("only detection models are supported, this one is '" + metadata.task() + "'");
        }
    }

    public static OnnxDetector load(Path model) {
        return load(model, DetectorOptions.defaults());
    }

    public static OnnxDetector load(Path model, DetectorOptions options) {
        OrtSession.SessionOptions sessionOptions = sessionOptions(options);
        try {
            return open(OrtEnvironment.getEnvironment().createSession(model.toString(), sessionOptions), sessionOptions);
        } catch (OrtException e) {
            sessionOptions.close();
            throw new ModelLoadException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
        }
    }

    public static OnnxDetector load(byte[] model) {
        return load(model, DetectorOptions.defaults());
    }

    public static OnnxDetector load(byte[] model, DetectorOptions options) {
        OrtSession.SessionOptions sessionOptions = sessionOptions(options);
        try {
            return open(OrtEnvironment.getEnvironment().createSession(model, sessionOptions), sessionOptions);
        } catch (OrtException e) {
            sessionOptions.close();
            throw new ModelLoadException("cannot load ONNX model: " + e.getMessage(), e);
        }
    }

    private static OnnxDetector open(OrtSession session, OrtSession.SessionOptions sessionOptions) {
        try {
            return new OnnxDetector(session, sessionOptions);
        } catch (RuntimeException e) {
            closeQuietly(session, sessionOptions);
            throw e;
        }
    }

    private static OrtSession.SessionOptions sessionOptions(DetectorOptions options) {
        OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
        try {
            if (options.intraOpThreads() > 0) {
                sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            }
        } catch (OrtException e) {
            sessionOptions.close();
            throw new ModelLoadException("invalid session options: " + e.getMessage(), e);
        }
        return sessionOptions;
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The letterbox this model's inputs get. */
    public Letterbox letterbox() {
        return letterbox;
    }

    /** {@link #predict(BgrImage, double, double, int)} with Ultralytics' defaults: conf 0.25, iou 0.7, max_det 300. */
    @Override
    public List<Detection> predict(BgrImage image) {
        return predict(image, DEFAULT_CONF, DEFAULT_IOU, DEFAULT_MAX_DET);
    }

    /**
     * Detections in original-image pixels, best first.
     *
     * @param conf keep scores strictly above this (0..1)
     * @param iou NMS IoU threshold (0..1); ignored by end-to-end models, as in Ultralytics
     * @param maxDet the most detections returned
     */
    @Override
    public List<Detection> predict(BgrImage image, double conf, double iou, int maxDet) {
        return DetectionPipeline.predict(image, letterbox, this::forward, metadata.end2end(), metadata::className, conf,
                iou, maxDet);
    }

    /** Runs the model on an NCHW RGB float tensor of batch 1 and returns its detection output as is. */
    public RawOutput forward(float[] nchw, int height, int width) {
        if (closed) {
            throw new IllegalStateException("detector is closed");
        }
        if (nchw.length != 3 * height * width) {
            throw new IllegalArgumentException("tensor has " + nchw.length + " values, expected 3 x " + height + " x " + width);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] { 1, 3, height, width });
                OrtSession.Result result = session.run(Map.of(inputName, input), Set.of(outputName))) {
            OnnxTensor output = (OnnxTensor) result.get(outputName)
                    .orElseThrow(() -> new IllegalStateException("model returned no " + outputName));
            FloatBuffer values = output.getFloatBuffer();
            float[] data = new float[values.remaining()];
            values.get(data);
            return new RawOutput(output.getInfo().getShape(), data);
        } catch (OrtException e) {
            throw new InferenceException("inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(session, sessionOptions);
        }
    }

    private static void closeQuietly(OrtSession session, OrtSession.SessionOptions sessionOptions) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing left to release that the caller could act on.
        } finally {
            sessionOptions.close();
        }
    }

    private static long[] inputShape(NodeInfo input) {
        if (!(input.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException("input '" + input.getName() + "' must be a float32 tensor, got " + input.getInfo());
        }
        long[] shape = info.getShape();
        if (shape.length != 4 || (shape[1] != 3 && shape[1] > 0)) {
            throw new ModelLoadException("input must be [batch, 3, height, width], got " + Arrays.toString(shape));
        }
        if (shape[0] > 1) {
            throw new ModelLoadException("only batch-1 or dynamic-batch exports are supported, got batch " + shape[0]);
        }
        return shape;
    }

    private Letterbox letterboxFor(long[] inputShape) {
        if (inputShape[2] > 0 && inputShape[3] > 0) {
            return Letterbox.full((int) inputShape[2], (int) inputShape[3]);
        }
        List<Integer> imgsz = metadata.imgsz().isEmpty() ? List.of(DEFAULT_IMGSZ, DEFAULT_IMGSZ) : metadata.imgsz();
        return Letterbox.minimal(imgsz.get(0), imgsz.get(1), metadata.stride());
    }

    private void checkOutput(NodeInfo output) {
        if (!(output.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException("output '" + output.getName() + "' must be a float32 tensor, got " + output.getInfo());
        }
        long[] shape = info.getShape();
        if (shape.length != 3) {
            throw new ModelLoadException(
                    "output must be [1, 4+classes, anchors] or [1, rows, 6], got " + Arrays.toString(shape));
        }
        boolean endToEnd = metadata.end2end() || shape[2] == 6;
        int classes = metadata.classCount();
        if (!endToEnd && classes > 0 && shape[1] > 0 && shape[1] != 4 + classes) {
            throw new ModelLoadException("output has " + shape[1] + " rows per anchor but the metadata names " + classes
                    + " classes (expected " + (4 + classes) + ")");
        }
    }
}
