package io.visionplatform.vision.detect;

import java.util.List;

import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.metadata.ModelMetadata;

/**
 * An Ultralytics YOLO detection model ready to run, whatever its export format: {@link OnnxDetector} (ONNX Runtime)
 * or {@link TorchScriptDetector} (TorchScript through DJL's PyTorch engine). Both letterbox, run the model, decode and
 * map the boxes back to the image the same way, as {@code YOLO(model).predict(image)} does.
 * <p>
 * Implementations accept concurrent {@code predict} calls on one instance. Close it when done; the native model is
 * released then.
 */
public interface Detector extends AutoCloseable {

    /** Ultralytics' default confidence threshold. */
    double DEFAULT_CONF = 0.25;
    /** Ultralytics' default NMS IoU threshold. */
    double DEFAULT_IOU = 0.7;
    /** Ultralytics' default {@code max_det}. */
    int DEFAULT_MAX_DET = 300;

    /** What the export says about itself: names, imgsz, stride, task, end2end, ... */
    ModelMetadata metadata();

    /**
     * Detections in original-image pixels, best first.
     *
     * @param conf keep scores strictly above this (0..1)
     * @param iou NMS IoU threshold (0..1); ignored by end-to-end models, as in Ultralytics
     * @param maxDet the most detections returned
     * @throws IllegalArgumentException when a threshold is out of range
     * @throws InferenceException when the runtime fails on this input
     */
    List<Detection> predict(BgrImage image, double conf, double iou, int maxDet);

    /** {@link #predict(BgrImage, double, double, int)} with Ultralytics' defaults: conf 0.25, iou 0.7, max_det 300. */
    default List<Detection> predict(BgrImage image) {
        return predict(image, DEFAULT_CONF, DEFAULT_IOU, DEFAULT_MAX_DET);
    }

    /** Releases the model. Calls still in flight may finish or fail; later calls throw {@link IllegalStateException}. */
    @Override
    void close();
}
