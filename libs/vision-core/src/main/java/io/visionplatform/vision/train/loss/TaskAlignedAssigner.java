package io.visionplatform.vision.train.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ultralytics' task-aligned assigner (TOOD) for one image, computed on plain arrays because it sees only detached
 * values and a handful of boxes: an anchor is a candidate for a ground-truth box when its centre lies inside it; each
 * box takes the {@code topk} candidates with the highest alignment {@code score^alpha * CIoU^beta}; an anchor claimed
 * by several boxes goes to the one it overlaps most. Each positive anchor's target score is its alignment, normalised
 * per box so that the best-aligned anchor of a box gets that box's best IoU.
 */
public final class TaskAlignedAssigner {

    private static final float EPS = 1e-9f;

    private final int topk;
    private final double alpha;
    private final double beta;

    public TaskAlignedAssigner(int topk, double alpha, double beta) {
        this.topk = topk;
        this.alpha = alpha;
        this.beta = beta;
    }

    /** Ultralytics' defaults: topk 10, alpha 0.5, beta 6. */
    public static TaskAlignedAssigner ultralyticsDefaults() {
        return new TaskAlignedAssigner(10, 0.5, 6.0);
    }

    /**
     * What one image's anchors are trained towards.
     *
     * @param gtIndex per anchor the assigned box, or -1 for background
     * @param score per anchor the normalised alignment (the target score of its box's class), 0 for background
     */
    public record Assignment(int[] gtIndex, float[] score) {

        public int positives() {
            int n = 0;
            for (int g : gtIndex) {
                if (g >= 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * @param scores predicted class probabilities {@code [nc, N]} (class-major, as the head outputs them)
     * @param boxes predicted boxes {@code [4, N]} (x1, y1, x2, y2 rows) in input pixels
     * @param anchorX anchor centres in input pixels
     * @param anchorY anchor centres in input pixels
     * @param gtClasses class of each ground-truth box
     * @param gtBoxes ground-truth boxes, 4 values (x1, y1, x2, y2) each, in input pixels
     */
    public Assignment assign(float[] scores, float[] boxes, float[] anchorX, float[] anchorY, int[] gtClasses,
            float[] gtBoxes) {
        int n = anchorX.length;
        int g = gtClasses.length;
        int[] gtIndex = new int[n];
        Arrays.fill(gtIndex, -1);
        float[] targetScore = new float[n];
        if (g == 0) {
            return new Assignment(gtIndex, targetScore);
        }
        // per box: its candidate anchors with their overlap and alignment, the top-k kept
        List<int[]> chosen = new ArrayList<>(g);
        float[][] overlaps = new float[g][];
        float[][] align = new float[g][];
        float[] bestOverlap = new float[n];
        int[] bestOverlapGt = new int[n];
        Arrays.fill(bestOverlapGt, -1);
        int[] claims = new int[n];
        for (int j = 0; j < g; j++) {
            float x1 = gtBoxes[4 * j];
            float y1 = gtBoxes[4 * j + 1];
            float x2 = gtBoxes[4 * j + 2];
            float y2 = gtBoxes[4 * j + 3];
            int cls = gtClasses[j];
            int[] inside = new int[n];
            int count = 0;
            for (int a = 0; a < n; a++) {
                float ax = anchorX[a];
                float ay = anchorY[a];
                float d = Math.min(Math.min(ax - x1, ay - y1), Math.min(x2 - ax, y2 - ay));
                if (d > EPS) {
                    inside[count++] = a;
                }
            }
            float[] ov = new float[count];
            float[] al = new float[count];
            for (int i = 0; i < count; i++) {
                int a = inside[i];
                float iou = Math.max(0f, BoxMath.ciou(x1, y1, x2, y2, boxes[a], boxes[n + a], boxes[2 * n + a],
                        boxes[3 * n + a]));
                ov[i] = iou;
                al[i] = (float) (Math.pow(scores[cls * n + a], alpha) * Math.pow(iou, beta));
                // the anchor's best overlap over all boxes decides between boxes that both claim it
                if (bestOverlapGt[a] < 0 || iou > bestOverlap[a]) {
                    bestOverlap[a] = iou;
                    bestOverlapGt[a] = j;
                }
            }
            int[] top = topIndices(al, count, topk);
            int[] anchorsOfTop = new int[top.length];
            for (int i = 0; i < top.length; i++) {
                anchorsOfTop[i] = inside[top[i]];
                claims[anchorsOfTop[i]]++;
            }
            chosen.add(anchorsOfTop);
            float[] ovTop = new float[top.length];
            float[] alTop = new float[top.length];
            for (int i = 0; i < top.length; i++) {
                ovTop[i] = ov[top[i]];
                alTop[i] = al[top[i]];
            }
            overlaps[j] = ovTop;
            align[j] = alTop;
        }
        // resolve anchors claimed by several boxes: the box with the highest overlap wins
        for (int j = 0; j < g; j++) {
            for (int a : chosen.get(j)) {
                if (claims[a] > 1) {
                    gtIndex[a] = bestOverlapGt[a];
                } else {
                    gtIndex[a] = j;
                }
            }
        }
        // normalise: per box, alignment * (best positive overlap / best positive alignment); per anchor the max
        for (int j = 0; j < g; j++) {
            int[] anchors = chosen.get(j);
            float maxAlign = 0f;
            float maxOverlap = 0f;
            for (int i = 0; i < anchors.length; i++) {
                if (gtIndex[anchors[i]] == j) {
                    maxAlign = Math.max(maxAlign, align[j][i]);
                    maxOverlap = Math.max(maxOverlap, overlaps[j][i]);
                }
            }
            for (int i = 0; i < anchors.length; i++) {
                int a = anchors[i];
                if (gtIndex[a] == j) {
                    float norm = align[j][i] * maxOverlap / (maxAlign + EPS);
                    targetScore[a] = Math.max(targetScore[a], norm);
                }
            }
        }
        return new Assignment(gtIndex, targetScore);
    }

    /** Indices of the k largest values among the first {@code count} (ties: lower index first). */
    private static int[] topIndices(float[] values, int count, int k) {
        int m = Math.min(k, count);
        int[] idx = new int[m];
        boolean[] taken = new boolean[count];
        for (int t = 0; t < m; t++) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (!taken[i] && (best < 0 || values[i] > values[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            idx[t] = best;
        }
        return idx;
    }
}
