package io.visionplatform.vision.metrics;

import java.util.ArrayList;
import java.util.List;

import io.visionplatform.vision.detect.BoxScaling;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.DetectionPipeline;
import io.visionplatform.vision.detect.Nms;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.detect.ScoredBox;
import io.visionplatform.vision.detect.YoloDecoder;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.LetterboxInfo;
import io.visionplatform.vision.image.LetterboxedImage;

/**
 * Predictions for validation, post-processed the way Ultralytics' {@code DetectionValidator} does rather than the way
 * {@code predict} does:
 * <ul>
 * <li><b>multi-label NMS</b> ({@code multi_label=True}) for {@code [1, 4+nc, N]} outputs: every (anchor, class) pair
 * with score {@code > conf} is a candidate, not only each anchor's best class, then the usual class-aware
 * {@link Nms};</li>
 * <li>end-to-end {@code [1, N, 6]} outputs: rows with score {@code > conf}, at most {@code maxDet}, as for predict;</li>
 * <li>boxes are mapped back to original-image pixels ({@code (x - pad) / gain}) but <b>not clipped</b>: Ultralytics
 * matches unclipped boxes in model-input space, and IoU is unchanged by the uniform scale of the letterbox.</li>
 * </ul>
 * The model input itself is {@link OnnxDetector}'s (the full letterbox for a fixed-shape export). Ultralytics' val
 * loader instead resizes with {@code cv2.INTER_AREA} when shrinking and pads each batch only to a stride multiple
 * ({@code rect}), so results from a fixed-shape ONNX export differ slightly from {@code YOLO("best.pt").val()}.
 */
public final class ValPredictions {

    /** Ultralytics' validation defaults. */
    public static final double DEFAULT_CONF = 0.001;
    public static final double DEFAULT_IOU = 0.7;
    public static final int DEFAULT_MAX_DET = 300;

    private ValPredictions() {
    }

    /** {@link #predict(OnnxDetector, BgrImage, double, double, int)} at conf 0.001, iou 0.7, max_det 300. */
    public static List<Detection> predict(OnnxDetector detector, BgrImage image) {
        return predict(detector, image, DEFAULT_CONF, DEFAULT_IOU, DEFAULT_MAX_DET);
    }

    /** Validation-style detections in original-image pixels (unclipped), in NMS order (best first). */
    public static List<Detection> predict(OnnxDetector detector, BgrImage image, double conf, double iou, int maxDet) {
        DetectionPipeline.checkThresholds(conf, iou, maxDet);
        LetterboxedImage input = detector.letterbox().apply(image);
        LetterboxInfo info = input.info();
        RawOutput output = detector.forward(input.toTensor(), info.inputHeight(), info.inputWidth());
        List<ScoredBox> boxes = decode(output, detector.metadata().end2end(), conf, iou, maxDet);
        return BoxScaling.toOriginalUnclipped(boxes, info, detector.metadata()::className);
    }

    /**
     * Ultralytics' validation {@code non_max_suppression} on a batch-1 output: end-to-end outputs (metadata
     * {@code end2end}, or a last dimension of 6) as in {@link YoloDecoder#decodeEndToEnd}; otherwise multi-label
     * candidates in (anchor, class) order, then {@link Nms#apply}.
     */
    public static List<ScoredBox> decode(RawOutput output, boolean endToEnd, double conf, double iou, int maxDet) {
        if (output.rank() != 3 || output.dim(0) != 1) {
            throw new IllegalArgumentException("expected a [1, C, N] detection output");
        }
        if (endToEnd || output.dim(2) == 6) {
            return YoloDecoder.decodeEndToEnd(output, conf, maxDet);
        }
        int anchors = output.dim(2);
        int classes = output.dim(1) - 4;
        if (classes < 1) {
            throw new IllegalArgumentException("output has no class rows");
        }
        float[] d = output.data();
        float threshold = (float) conf;
        List<ScoredBox> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            float cx = d[a];
            float cy = d[anchors + a];
            float halfW = d[2 * anchors + a] / 2f;
            float halfH = d[3 * anchors + a] / 2f;
            for (int c = 0; c < classes; c++) {
                float s = d[(4 + c) * anchors + a];
                if (s > threshold) {
                    candidates.add(new ScoredBox(cx - halfW, cy - halfH, cx + halfW, cy + halfH, s, c));
                }
            }
        }
        return Nms.apply(candidates, conf, iou, maxDet);
    }
}
