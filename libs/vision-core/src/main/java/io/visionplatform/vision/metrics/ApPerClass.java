package io.visionplatform.vision.metrics;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Ultralytics' {@code ap_per_class} and {@code compute_ap} (numpy float64 arithmetic, same order of operations):
 * <ul>
 * <li>predictions sorted by confidence, highest first ({@code np.argsort(-conf)});</li>
 * <li>per class that has labels: cumulative TP/FP, {@code recall = tpc / (n_labels + 1e-16)},
 * {@code precision = tpc / (tpc + fpc)}, and precision/recall against confidence sampled on
 * {@code px = linspace(0, 1, 1000)} by {@code np.interp} on {@code -conf} (precision {@code left=1}, recall
 * {@code left=0});</li>
 * <li>AP per IoU threshold by {@link #computeAp}: sentinels {@code mrec = [0, recall..., 1]},
 * {@code mpre = [1, precision..., 0]}, the precision envelope, and the trapezoid rule over
 * {@code np.interp(linspace(0, 1, 101), mrec, mpre)};</li>
 * <li>P, R, F1 per class at the index of the maximum of the mean F1 curve smoothed by a box filter of fraction 0.1
 * ({@code smooth(f1.mean(0), 0.1).argmax()}).</li>
 * </ul>
 * Classes are those that occur in the ground truth, ascending. Predictions of other classes are ignored; a class with
 * labels but no predictions gets AP, P, R = 0.
 */
public final class ApPerClass {

    /** Ultralytics' {@code eps} in {@code ap_per_class}. */
    private static final double EPS = 1e-16;
    private static final int CURVE_POINTS = 1000;
    private static final double[] PX = NumpyOps.linspace(0, 1, CURVE_POINTS);
    private static final double[] NEG_PX = negate(PX);
    private static final double[] AP_X = NumpyOps.linspace(0, 1, 101);

    private ApPerClass() {
    }

    /**
     * @param classes the classes that have labels, ascending ({@code unique_classes})
     * @param labels labels per class ({@code nt})
     * @param ap {@code [class][threshold]}
     * @param precision per class, at {@code maxF1Index}
     * @param recall per class, at {@code maxF1Index}
     * @param f1 per class, at {@code maxF1Index}
     * @param maxF1Index index into {@link #px()} where the smoothed mean F1 peaks
     * @param precisionCurve {@code [class][1000]} precision against confidence {@link #px()}
     * @param recallCurve {@code [class][1000]} recall against confidence
     * @param f1Curve {@code [class][1000]}
     */
    public record Result(int[] classes, int[] labels, double[][] ap, double[] precision, double[] recall, double[] f1,
            int maxF1Index, double[][] precisionCurve, double[][] recallCurve, double[][] f1Curve) {

        public int classCount() {
            return classes.length;
        }

        /** Per class, AP at the first threshold (AP50 with the COCO thresholds). */
        public double[] ap50() {
            double[] out = new double[classes.length];
            for (int c = 0; c < out.length; c++) {
                out[c] = ap[c][0];
            }
            return out;
        }

        /** Per class, AP averaged over the thresholds ({@code all_ap.mean(1)}, AP50-95). */
        public double[] apMean() {
            double[] out = new double[classes.length];
            for (int c = 0; c < out.length; c++) {
                out[c] = NumpyOps.mean(ap[c]);
            }
            return out;
        }
    }

    /** The confidence grid {@code linspace(0, 1, 1000)} of the curves (a copy). */
    public static double[] px() {
        return PX.clone();
    }

    /**
     * @param tp {@code [predictions][thresholds]} true-positive flags (all images concatenated)
     * @param conf confidence of each prediction
     * @param predClasses class of each prediction
     * @param targetClasses class of every ground-truth box (all images)
     */
    public static Result compute(boolean[][] tp, float[] conf, int[] predClasses, int[] targetClasses) {
        return compute(tp, conf, predClasses, targetClasses, tp.length == 0 ? IouMatcher.cocoThresholds().length
                : tp[0].length);
    }

    /** As {@link #compute(boolean[][], float[], int[], int[])}, with the threshold count given for an empty {@code tp}. */
    static Result compute(boolean[][] tp, float[] conf, int[] predClasses, int[] targetClasses, int thresholds) {
        int n = conf.length;
        if (tp.length != n || predClasses.length != n) {
            throw new IllegalArgumentException("tp, conf and predClasses must have the same length");
        }
        for (boolean[] row : tp) {
            if (row.length != thresholds) {
                throw new IllegalArgumentException("every tp row needs the same number of thresholds");
            }
        }
        // np.argsort(-conf): conf is float32, negation exact
        double[] negConf = new double[n];
        for (int i = 0; i < n; i++) {
            negConf[i] = -conf[i];
        }
        int[] order = NumpyOps.argsort(negConf);

        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int c : targetClasses) {
            counts.merge(c, 1, Integer::sum);
        }
        int nc = counts.size();
        int[] classes = new int[nc];
        int[] labels = new int[nc];
        int k = 0;
        for (var e : counts.entrySet()) {
            classes[k] = e.getKey();
            labels[k] = e.getValue();
            k++;
        }
        double[][] ap = new double[nc][thresholds];
        double[][] pCurve = new double[nc][CURVE_POINTS];
        double[][] rCurve = new double[nc][CURVE_POINTS];

        for (int ci = 0; ci < nc; ci++) {
            int c = classes[ci];
            int np = 0;
            for (int i : order) {
                if (predClasses[i] == c) {
                    np++;
                }
            }
            int nl = labels[ci];
            if (np == 0 || nl == 0) {
                continue;
            }
            double[] negConfC = new double[np];
            double[][] recall = new double[thresholds][np];
            double[][] precision = new double[thresholds][np];
            long[] tpc = new long[thresholds];
            long[] fpc = new long[thresholds];
            double denominator = nl + EPS;
            int m = 0;
            for (int i : order) {
                if (predClasses[i] != c) {
                    continue;
                }
                negConfC[m] = -conf[i];
                for (int j = 0; j < thresholds; j++) {
                    if (tp[i][j]) {
                        tpc[j]++;
                    } else {
                        fpc[j]++;
                    }
                    recall[j][m] = tpc[j] / denominator;
                    precision[j][m] = (double) tpc[j] / (double) (tpc[j] + fpc[j]);
                }
                m++;
            }
            rCurve[ci] = NumpyOps.interp(NEG_PX, negConfC, recall[0], 0.0, recall[0][np - 1]);
            pCurve[ci] = NumpyOps.interp(NEG_PX, negConfC, precision[0], 1.0, precision[0][np - 1]);
            for (int j = 0; j < thresholds; j++) {
                ap[ci][j] = computeAp(recall[j], precision[j]);
            }
        }

        double[][] f1Curve = new double[nc][CURVE_POINTS];
        for (int ci = 0; ci < nc; ci++) {
            for (int x = 0; x < CURVE_POINTS; x++) {
                double p = pCurve[ci][x];
                double r = rCurve[ci][x];
                f1Curve[ci][x] = 2 * p * r / (p + r + EPS);
            }
        }
        double[] p = new double[nc];
        double[] r = new double[nc];
        double[] f1 = new double[nc];
        int best = 0;
        if (nc > 0) {
            // f1_curve.mean(0): rows added in order, then divided by the row count
            double[] meanF1 = new double[CURVE_POINTS];
            for (int ci = 0; ci < nc; ci++) {
                for (int x = 0; x < CURVE_POINTS; x++) {
                    meanF1[x] += f1Curve[ci][x];
                }
            }
            for (int x = 0; x < CURVE_POINTS; x++) {
                meanF1[x] /= nc;
            }
            best = argmax(smooth(meanF1, 0.1));
            for (int ci = 0; ci < nc; ci++) {
                p[ci] = pCurve[ci][best];
                r[ci] = rCurve[ci][best];
                f1[ci] = f1Curve[ci][best];
            }
        }
        return new Result(classes, labels, ap, p, r, f1, best, pCurve, rCurve, f1Curve);
    }

    /**
     * Ultralytics' {@code compute_ap} ({@code method="interp"}): {@code mrec = [0, recall..., 1]},
     * {@code mpre = [1, precision..., 0]}, {@code mpre} replaced by its running maximum from the right (the precision
     * envelope), then {@code trapz(interp(linspace(0, 1, 101), mrec, mpre), linspace(0, 1, 101))}. Because the last
     * sentinel is precision 0 at recall 1, a perfect curve scores 0.995, not 1, as in Ultralytics.
     */
    public static double computeAp(double[] recall, double[] precision) {
        if (recall.length != precision.length) {
            throw new IllegalArgumentException("recall and precision differ in length");
        }
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[0] = 0.0;
        mpre[0] = 1.0;
        System.arraycopy(recall, 0, mrec, 1, n);
        System.arraycopy(precision, 0, mpre, 1, n);
        mrec[n + 1] = 1.0;
        mpre[n + 1] = 0.0;
        for (int i = n; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double[] y = NumpyOps.interp(AP_X, mrec, mpre, mpre[0], mpre[n + 1]);
        return NumpyOps.trapz(y, AP_X);
    }

    /**
     * Ultralytics' {@code smooth(y, f)}: a box filter of {@code nf = round(len * f * 2) // 2 + 1} points over {@code y}
     * padded with {@code nf // 2} copies of its end values ({@code np.convolve(..., mode="valid")}).
     */
    static double[] smooth(double[] y, double f) {
        int nf = (int) Math.rint(y.length * f * 2) / 2 + 1;
        int half = nf / 2;
        double[] yp = new double[y.length + 2 * half];
        Arrays.fill(yp, 0, half, y[0]);
        System.arraycopy(y, 0, yp, half, y.length);
        Arrays.fill(yp, half + y.length, yp.length, y[y.length - 1]);
        double w = 1.0 / nf;
        double[] out = new double[yp.length - nf + 1];
        for (int i = 0; i < out.length; i++) {
            double s = 0.;
            for (int j = 0; j < nf; j++) {
                s += yp[i + j] * w;
            }
            out[i] = s;
        }
        return out;
    }

    /** {@code np.argmax}: the first maximum (a NaN counts as the maximum). */
    static int argmax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (Double.isNaN(a[best])) {
                return best;
            }
            if (a[i] > a[best] || Double.isNaN(a[i])) {
                best = i;
            }
        }
        return best;
    }

    private static double[] negate(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }
}
