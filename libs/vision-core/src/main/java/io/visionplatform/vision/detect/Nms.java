package io.visionplatform.vision.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class-aware non-maximum suppression as Ultralytics runs it: candidates with score {@code > conf} (strictly), best
 * score first, at most {@value #MAX_NMS} of them; each box is shifted by {@code classId * }{@value #MAX_WH} so boxes of
 * different classes never overlap; then torchvision's greedy NMS (a box is dropped when its IoU with a kept box is
 * {@code > iou}), keeping at most {@code maxDet}. Arithmetic is float32 like the reference, shift included.
 */
public final class Nms {

    /** Ultralytics' {@code max_wh}: larger than any image side, so shifted classes are disjoint. */
    public static final float MAX_WH = 7680f;
    /** Ultralytics' {@code max_nms}: at most this many boxes go into NMS. */
    public static final int MAX_NMS = 30000;

    private Nms() {
    }

    public static List<ScoredBox> apply(List<ScoredBox> candidates, double conf, double iou, int maxDet) {
        float confThreshold = (float) conf;
        List<ScoredBox> sorted = new ArrayList<>();
        for (ScoredBox b : candidates) {
            if (b.score() > confThreshold) {
                sorted.add(b);
            }
        }
        // Stable sort: equal scores keep their anchor order.
        sorted.sort(Comparator.comparingDouble(ScoredBox::score).reversed());
        if (sorted.size() > MAX_NMS) {
            sorted = new ArrayList<>(sorted.subList(0, MAX_NMS));
        }
        int n = sorted.size();
        float[] x1 = new float[n];
        float[] y1 = new float[n];
        float[] x2 = new float[n];
        float[] y2 = new float[n];
        float[] area = new float[n];
        for (int i = 0; i < n; i++) {
            ScoredBox b = sorted.get(i);
            float offset = b.classId() * MAX_WH;
            x1[i] = b.x1() + offset;
            y1[i] = b.y1() + offset;
            x2[i] = b.x2() + offset;
            y2[i] = b.y2() + offset;
            area[i] = (x2[i] - x1[i]) * (y2[i] - y1[i]);
        }
        boolean[] suppressed = new boolean[n];
        List<ScoredBox> kept = new ArrayList<>();
        for (int i = 0; i < n && kept.size() < maxDet; i++) {
            if (suppressed[i]) {
                continue;
            }
            kept.add(sorted.get(i));
            for (int j = i + 1; j < n; j++) {
                if (suppressed[j]) {
                    continue;
                }
                float w = Math.max(0f, Math.min(x2[i], x2[j]) - Math.max(x1[i], x1[j]));
                float h = Math.max(0f, Math.min(y2[i], y2[j]) - Math.max(y1[i], y1[j]));
                float inter = w * h;
                float overlap = inter / (area[i] + area[j] - inter);
                if (overlap > iou) {
                    suppressed[j] = true;
                }
            }
        }
        return kept;
    }
}
