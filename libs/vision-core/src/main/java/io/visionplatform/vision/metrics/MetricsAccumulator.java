package io.visionplatform.vision.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.visionplatform.vision.detect.Detection;

/**
 * Collects per-image matching statistics the way Ultralytics' {@code DetectionValidator.update_metrics} does, and
 * turns them into {@link ValidationMetrics} like {@code DetMetrics.process}.
 * <p>
 * For each image: the IoU matrix of ground truth × predictions ({@link BoxIou}), the true-positive matrix at the 10
 * IoU thresholds ({@link IouMatcher}), and the confidences and classes of the predictions. Predictions of an image
 * without labels are all false positives; labels without predictions are misses.
 * <p>
 * Ground truth and predictions of one image must be in the same pixel space. Ultralytics matches in the letterboxed
 * model-input space without clipping predictions; since a letterbox is a uniform scale plus a shift, IoU is the same
 * in original-image pixels as long as predictions are not clipped (see {@link ValPredictions}). Predictions should be
 * given in the order the model returned them (best first): the matcher's tie-breaking depends on it, as in
 * Ultralytics. Images should be added in the order Ultralytics would visit them where exact tie-breaking of equal
 * confidences across images matters.
 * <p>
 * All methods are synchronized: one instance may be shared between threads, its calls are serialised.
 */
public final class MetricsAccumulator {

    private final float[] thresholds;
    private final List<boolean[][]> tp = new ArrayList<>();
    private final List<float[]> conf = new ArrayList<>();
    private final List<int[]> predClasses = new ArrayList<>();
    private final List<int[]> targetClasses = new ArrayList<>();
    private int images;

    /** With the COCO thresholds 0.50:0.05:0.95. */
    public MetricsAccumulator() {
        this(IouMatcher.cocoThresholds());
    }

    /**
     * With custom IoU thresholds; {@link ValidationMetrics#map50()} and {@code map75()} then read the first and the
     * sixth threshold (0 when there are fewer than six).
     */
    public MetricsAccumulator(float[] thresholds) {
        if (thresholds.length == 0) {
            throw new IllegalArgumentException("need at least one IoU threshold");
        }
        this.thresholds = thresholds.clone();
    }

    /**
     * Adds one image.
     *
     * @param gtBoxes ground-truth corners {@code [n][4]} ({@code x1, y1, x2, y2})
     * @param gtClasses class of each ground-truth box
     * @param predBoxes predicted corners {@code [m][4]}, in model output order
     * @param predConf confidence of each prediction
     * @param predClasses class of each prediction
     */
    public synchronized void add(float[][] gtBoxes, int[] gtClasses, float[][] predBoxes, float[] predConf,
            int[] predClasses) {
        if (gtBoxes.length != gtClasses.length) {
            throw new IllegalArgumentException("gtBoxes and gtClasses differ in length");
        }
        if (predBoxes.length != predConf.length || predBoxes.length != predClasses.length) {
            throw new IllegalArgumentException("predBoxes, predConf and predClasses differ in length");
        }
        for (int c : gtClasses) {
            if (c < 0) {
                throw new IllegalArgumentException("ground-truth class must be >= 0, got " + c);
            }
        }
        for (int i = 0; i < predConf.length; i++) {
            if (Float.isNaN(predConf[i])) {
                throw new IllegalArgumentException("prediction " + i + " has a NaN confidence");
            }
        }
        boolean[][] correct;
        if (gtBoxes.length == 0 || predBoxes.length == 0) {
            correct = new boolean[predBoxes.length][thresholds.length];
        } else {
            float[][] iou = BoxIou.matrix(gtBoxes, predBoxes);
            correct = IouMatcher.match(predClasses, gtClasses, iou, thresholds);
        }
        tp.add(correct);
        conf.add(predConf.clone());
        this.predClasses.add(predClasses.clone());
        targetClasses.add(gtClasses.clone());
        images++;
    }

    /** Adds one image from ground-truth boxes and detections (in the detector's order, best first). */
    public void add(List<GroundTruthBox> groundTruth, List<Detection> predictions) {
        float[][] gtBoxes = new float[groundTruth.size()][];
        int[] gtClasses = new int[groundTruth.size()];
        for (int i = 0; i < gtBoxes.length; i++) {
            GroundTruthBox g = groundTruth.get(i);
            gtBoxes[i] = g.corners();
            gtClasses[i] = g.classId();
        }
        float[][] boxes = new float[predictions.size()][];
        float[] scores = new float[predictions.size()];
        int[] classes = new int[predictions.size()];
        for (int i = 0; i < boxes.length; i++) {
            Detection d = predictions.get(i);
            boxes[i] = new float[] { d.x1(), d.y1(), d.x2(), d.y2() };
            scores[i] = d.confidence();
            classes[i] = d.classId();
        }
        add(gtBoxes, gtClasses, boxes, scores, classes);
    }

    public synchronized int images() {
        return images;
    }

    public synchronized int instances() {
        int n = 0;
        for (int[] t : targetClasses) {
            n += t.length;
        }
        return n;
    }

    /** Forgets every image added so far. */
    public synchronized void reset() {
        tp.clear();
        conf.clear();
        predClasses.clear();
        targetClasses.clear();
        images = 0;
    }

    /**
     * The metrics over every image added so far, for classes {@code 0 .. nc-1}.
     *
     * @throws IllegalArgumentException if a ground-truth class is {@code >= nc}
     */
    public synchronized ValidationMetrics compute(int nc) {
        if (nc <= 0) {
            throw new IllegalArgumentException("nc must be positive, got " + nc);
        }
        int n = 0;
        int labels = 0;
        for (int i = 0; i < conf.size(); i++) {
            n += conf.get(i).length;
            labels += targetClasses.get(i).length;
        }
        boolean[][] allTp = new boolean[n][];
        float[] allConf = new float[n];
        int[] allPred = new int[n];
        int[] allTarget = new int[labels];
        int[] classInstances = new int[nc];
        int[] classImages = new int[nc];
        int p = 0;
        int t = 0;
        for (int i = 0; i < conf.size(); i++) {
            boolean[][] imageTp = tp.get(i);
            float[] imageConf = conf.get(i);
            int[] imagePred = predClasses.get(i);
            for (int k = 0; k < imageConf.length; k++) {
                allTp[p] = imageTp[k];
                allConf[p] = imageConf[k];
                allPred[p] = imagePred[k];
                p++;
            }
            boolean[] present = new boolean[nc];
            for (int c : targetClasses.get(i)) {
                if (c >= nc) {
                    throw new IllegalArgumentException("ground-truth class " + c + " is not below nc = " + nc);
                }
                allTarget[t++] = c;
                classInstances[c]++;
                present[c] = true;
            }
            for (int c = 0; c < nc; c++) {
                if (present[c]) {
                    classImages[c]++;
                }
            }
        }
        ApPerClass.Result r = ApPerClass.compute(allTp, allConf, allPred, allTarget, thresholds.length);

        double[] classP = nanArray(nc);
        double[] classR = nanArray(nc);
        double[] classAp50 = nanArray(nc);
        double[] classAp = nanArray(nc);
        int k = r.classCount();
        double[] ap50 = new double[k];
        double[] ap75 = new double[k];
        double[] flat = new double[k * thresholds.length];
        double[] apMean = r.apMean();
        for (int ci = 0; ci < k; ci++) {
            int c = r.classes()[ci];
            classP[c] = r.precision()[ci];
            classR[c] = r.recall()[ci];
            classAp50[c] = r.ap()[ci][0];
            classAp[c] = apMean[ci];
            ap50[ci] = r.ap()[ci][0];
            ap75[ci] = thresholds.length > 5 ? r.ap()[ci][5] : 0.0;
            System.arraycopy(r.ap()[ci], 0, flat, ci * thresholds.length, thresholds.length);
        }
        double mp = k > 0 ? NumpyOps.mean(r.precision()) : 0.0;
        double mr = k > 0 ? NumpyOps.mean(r.recall()) : 0.0;
        double map50 = k > 0 ? NumpyOps.mean(ap50) : 0.0;
        double map75 = k > 0 ? NumpyOps.mean(ap75) : 0.0;
        double map = k > 0 ? NumpyOps.mean(flat) : 0.0;
        double[] w = ValidationMetrics.DEFAULT_FITNESS_WEIGHTS;
        double fitness = NumpyOps.sum(new double[] { mp * w[0], mr * w[1], map50 * w[2], map * w[3] });
        double maxF1Confidence = k > 0 ? ApPerClass.px()[r.maxF1Index()] : 0.0;
        return new ValidationMetrics(images, labels, mp, mr, map50, map75, map, fitness, classP, classR, classAp50,
                classAp, classInstances, classImages, maxF1Confidence);
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
