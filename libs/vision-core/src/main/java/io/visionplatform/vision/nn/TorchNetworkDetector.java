package io.visionplatform.vision.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import io.visionplatform.vision.detect.BoxScaling;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.DetectionPipeline;
import io.visionplatform.vision.detect.Detector;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.detect.YoloDecoder;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.metadata.ModelMetadata;
import io.visionplatform.vision.pt.Checkpoint;

/**
 * Runs an Ultralytics detection checkpoint ({@code .pt}) the way {@code YOLO("best.pt").predict(image)} does, with the
 * network rebuilt in Java ({@link YoloNetwork}, DJL PyTorch engine) instead of Python: the <em>minimal</em>
 * (stride-multiple) letterbox at the checkpoint's training {@code imgsz} (PyTorch models predict with
 * {@code rect=True}), the forward pass, {@link YoloDecoder} (NMS, or the end-to-end rows of YOLO26) and
 * {@link BoxScaling}, exactly as {@link OnnxDetector} does for exports.
 * <p>
 * One instance may serve many threads at once. Close it once no call is in flight. libtorch's intra-op threads are
 * process-wide: set {@code -Dai.djl.pytorch.num_threads=N} before the engine starts (1 on shared or busy CPUs, where
 * spin-waiting OpenMP threads made a forward pass ~20x slower in our measurements).
 */
public final class TorchNetworkDetector implements Detector {

    /** Ultralytics' default {@code imgsz}, for checkpoints without training arguments. */
    private static final int DEFAULT_IMGSZ = 640;

    private final YoloNetwork network;
    private final List<String> names;
    private final Letterbox letterbox;
    private final ModelMetadata metadata;

    private TorchNetworkDetector(YoloNetwork network, List<String> names, Letterbox letterbox,
            ModelMetadata metadata) {
        this.network = network;
        this.names = List.copyOf(names);
        this.letterbox = letterbox;
        this.metadata = metadata;
    }

    /** Reads {@code checkpoint} and builds its network on the PyTorch engine's default device. */
    public static TorchNetworkDetector load(Path checkpoint) {
        return load(checkpoint, null);
    }

    /** Reads {@code checkpoint} and builds its network on {@code device} (null: the engine's default). */
    public static TorchNetworkDetector load(Path checkpoint, Device device) {
        Checkpoint ckpt;
        try {
            ckpt = Checkpoint.read(checkpoint);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
        return load(ckpt, device);
    }

    /** Builds the network of an already read checkpoint. */
    public static TorchNetworkDetector load(Checkpoint checkpoint, Device device) {
        YoloNetwork network = YoloNetwork.load(checkpoint, device);
        List<Integer> imgsz = checkpoint.imgsz().isEmpty() ? List.of(DEFAULT_IMGSZ, DEFAULT_IMGSZ) : checkpoint.imgsz();
        int stride = Math.max(network.maxStride(), checkpoint.stride());
        ModelMetadata metadata = new ModelMetadata(checkpoint.task(), stride, imgsz, checkpoint.names(), 1,
                network.endToEnd(), 3, null, null, checkpoint.version(), checkpoint.date(), checkpoint.trainArgs(),
                Map.of());
        return new TorchNetworkDetector(network, checkpoint.names(),
                Letterbox.minimal(imgsz.get(0), imgsz.get(1), stride), metadata);
    }

    /** What the checkpoint says about itself, in the shape exports describe themselves. */
    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    /** Class names indexed by class id. */
    public List<String> names() {
        return names;
    }

    /** The name of {@code classId}, or the id as text when the checkpoint names no such class. */
    public String className(int classId) {
        return classId >= 0 && classId < names.size() ? names.get(classId) : String.valueOf(classId);
    }

    /** The letterbox {@link #predict(BgrImage, double, double, int)} uses: minimal, at the training imgsz. */
    public Letterbox letterbox() {
        return letterbox;
    }

    public YoloNetwork network() {
        return network;
    }

    public boolean endToEnd() {
        return network.endToEnd();
    }

    /** {@link #predict(BgrImage, double, double, int)} with Ultralytics' defaults: conf 0.25, iou 0.7, max_det 300. */
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
    public List<Detection> predict(BgrImage image, double conf, double iou, int maxDet) {
        return predict(image, letterbox, conf, iou, maxDet);
    }

    /**
     * As {@link #predict(BgrImage, double, double, int)} with another letterbox, e.g. {@code Letterbox.full(192, 192)}
     * for Ultralytics' {@code rect=False} (its size must be a multiple of the stride).
     */
    public List<Detection> predict(BgrImage image, Letterbox box, double conf, double iou, int maxDet) {
        return DetectionPipeline.predict(image, box, this::forward, network.endToEnd(), this::className, conf, iou,
                maxDet);
    }

    /**
     * Runs the network on an NCHW RGB float tensor of batch 1 (height and width multiples of the stride) and returns
     * its output as is: {@code [1, 4 + nc, N]}, or {@code [1, k, 6]} for end-to-end models.
     */
    public RawOutput forward(float[] nchw, int height, int width) {
        return network.forward(nchw, height, width);
    }

    @Override
    public void close() {
        network.close();
    }
}
