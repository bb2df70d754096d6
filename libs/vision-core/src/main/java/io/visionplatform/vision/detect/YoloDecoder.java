package io.visionplatform.vision.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a YOLO detection output (batch 1) into boxes in model-input pixels, following Ultralytics'
 * {@code non_max_suppression}:
 * <ul>
 * <li>{@code [1, 4 + nc, N]} (YOLOv8, YOLO11, YOLO26 with {@code end2end=False}): per anchor {@code cx, cy, w, h} then
 * nc sigmoid class scores; the best class wins (first on ties), boxes become corners, then {@link Nms}.</li>
 * <li>{@code [1, N, 6+]} end-to-end (YOLO26, YOLOv10, {@code nms=True} exports): rows {@code x1, y1, x2, y2, score,
 * class}, already ranked; only rows with score {@code > conf} are kept, at most {@code maxDet}, and no NMS.</li>
 * </ul>
 */
public final class YoloDecoder {

    private YoloDecoder() {
    }

    /**
     * Decodes {@code output}; end-to-end when {@code endToEnd} (the model's {@code end2end} metadata) or when the last
     * dimension is 6, the same test Ultralytics applies.
     */
    public static List<ScoredBox> decode(RawOutput output, boolean endToEnd, double conf, double iou, int maxDet) {
        if (output.rank() != 3 || output.dim(0) != 1) {
            throw new IllegalArgumentException("expected a [1, C, N] detection output, got " + shapeText(output));
        }
        if (endToEnd || output.dim(2) == 6) {
            return decodeEndToEnd(output, conf, maxDet);
        }
        return decodeAnchors(output, conf, iou, maxDet);
    }

    public static List<ScoredBox> decodeAnchors(RawOutput output, double conf, double iou, int maxDet) {
        int channels = output.dim(1);
        int anchors = output.dim(2);
        int classes = channels - 4;
        if (classes < 1) {
            throw new IllegalArgumentException("output has no class rows: " + shapeText(output));
        }
        float[] d = output.data();
        float threshold = (float) conf;
        List<ScoredBox> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            int best = 0;
            float bestScore = d[4 * anchors + a];
            for (int c = 1; c < classes; c++) {
                float s = d[(4 + c) * anchors + a];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            if (!(bestScore > threshold)) {
                continue;
            }
            float cx = d[a];
            float cy = d[anchors + a];
            float halfW = d[2 * anchors + a] / 2f;
            float halfH = d[3 * anchors + a] / 2f;
            candidates.add(new ScoredBox(cx - halfW, cy - halfH, cx + halfW, cy + halfH, bestScore, best));
        }
        return Nms.apply(candidates, conf, iou, maxDet);
    }

    public static List<ScoredBox> decodeEndToEnd(RawOutput output, double conf, int maxDet) {
        int rows = output.dim(1);
        int cols = output.dim(2);
        if (cols < 6) {
            throw new IllegalArgumentException("end-to-end output needs 6 columns per row, got " + shapeText(output));
        }
        float[] d = output.data();
        float threshold = (float) conf;
        List<ScoredBox> kept = new ArrayList<>();
        for (int r = 0; r < rows && kept.size() < maxDet; r++) {
            int o = r * cols;
            float score = d[o + 4];
            if (score > threshold) {
                kept.add(new ScoredBox(d[o], d[o + 1], d[o + 2], d[o + 3], score, (int) d[o + 5]));
            }
        }
        return kept;
    }

    private static String shapeText(RawOutput output) {
        return java.util.Arrays.toString(output.shape());
    }
}
