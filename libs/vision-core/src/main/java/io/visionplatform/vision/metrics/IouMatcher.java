package io.visionplatform.vision.metrics;

import java.util.Arrays;

/**
 * Marks which predictions of one image are true positives at each IoU threshold, exactly as Ultralytics'
 * {@code DetectionValidator.match_predictions} (the default, non-scipy path) does:
 * <ol>
 * <li>candidate pairs (label, prediction) are those of the same class with {@code IoU >= threshold} (float32);</li>
 * <li>they are ordered by IoU, highest first (numpy's {@code argsort} reversed, so ties fall where numpy puts them);</li>
 * <li>each prediction keeps its first (highest-IoU) pair;</li>
 * <li>those pairs are then taken in <em>prediction</em> order (lowest index first, which is the highest confidence
 * when predictions come in NMS order), and each label keeps the first one;</li>
 * <li>the predictions of the surviving pairs are true positives.</li>
 * </ol>
 * Step 4 is Ultralytics' actual behaviour (its re-sort by IoU is commented out): a label goes to the earliest
 * prediction whose best label it is, not necessarily to the highest-IoU one.
 */
public final class IouMatcher {

    /**
     * Ultralytics' {@code iouv = torch.linspace(0.5, 0.95, 10)} in float32, computed the way torch's CPU kernel does
     * ({@code start + step * i} for the first half, {@code end - step * (steps - 1 - i)} for the rest).
     */
    private static final float[] COCO_THRESHOLDS = torchLinspace(0.5f, 0.95f, 10);

    private IouMatcher() {
    }

    /** The 10 IoU thresholds 0.50:0.05:0.95 (a copy). */
    public static float[] cocoThresholds() {
        return COCO_THRESHOLDS.clone();
    }

    static float[] torchLinspace(float start, float end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        }
        return out;
    }

    /**
     * The true-positive matrix {@code [predictions][thresholds]}.
     *
     * @param predClasses class of each prediction (in the order the model returned them, best first)
     * @param trueClasses class of each ground-truth box
     * @param iou {@code [labels][predictions]}, e.g. {@link BoxIou#matrix}{@code (gtBoxes, predBoxes)}
     * @param thresholds IoU thresholds, e.g. {@link #cocoThresholds()}
     */
    public static boolean[][] match(int[] predClasses, int[] trueClasses, float[][] iou, float[] thresholds) {
        int nd = predClasses.length;
        int nl = trueClasses.length;
        if (iou.length != nl) {
            throw new IllegalArgumentException("iou has " + iou.length + " rows, expected one per label (" + nl + ")");
        }
        for (float[] row : iou) {
            if (row.length != nd) {
                throw new IllegalArgumentException("iou rows must have one column per prediction (" + nd + ")");
            }
        }
        boolean[][] correct = new boolean[nd][thresholds.length];
        int[] pairLabel = new int[nl * nd];
        int[] pairPred = new int[nl * nd];
        double[] pairIou = new double[nl * nd];
        int[] bestLabel = new int[nd];
        boolean[] labelTaken = new boolean[nl];
        for (int t = 0; t < thresholds.length; t++) {
            float threshold = thresholds[t];
            // np.nonzero: row-major, so label-major then prediction
            int n = 0;
            for (int l = 0; l < nl; l++) {
                for (int d = 0; d < nd; d++) {
                    // iou * correct_class: a pair of different classes has IoU 0
                    float v = trueClasses[l] == predClasses[d] ? iou[l][d] : 0f;
                    if (v >= threshold) {
                        pairLabel[n] = l;
                        pairPred[n] = d;
                        pairIou[n] = v;
                        n++;
                    }
                }
            }
            if (n == 0) {
                continue;
            }
            if (n == 1) {
                correct[pairPred[0]][t] = true;
                continue;
            }
            // matches[iou.argsort()[::-1]]
            double[] values = Arrays.copyOf(pairIou, n);
            int[] ascending = NumpyOps.argsort(values);
            // np.unique(matches[:, 1], return_index=True): first occurrence of each prediction in that order
            Arrays.fill(bestLabel, -1);
            for (int k = n - 1; k >= 0; k--) {
                int p = ascending[k];
                if (bestLabel[pairPred[p]] < 0) {
                    bestLabel[pairPred[p]] = pairLabel[p];
                }
            }
            // now ordered by prediction index; np.unique(matches[:, 0]) keeps the first prediction of each label
            Arrays.fill(labelTaken, false);
            for (int d = 0; d < nd; d++) {
                int l = bestLabel[d];
                if (l >= 0 && !labelTaken[l]) {
                    labelTaken[l] = true;
                    correct[d][t] = true;
                }
            }
        }
        return correct;
    }
}
