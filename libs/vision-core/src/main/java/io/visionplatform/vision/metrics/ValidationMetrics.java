package io.visionplatform.vision.metrics;

import java.util.Arrays;
import java.util.Locale;

/**
 * Detection validation results as Ultralytics reports them ({@code DetMetrics}/{@code Metric}).
 * <p>
 * Means are over the classes that have at least one label ({@code ap_class_index}), as Ultralytics does. The per-class
 * arrays have one entry per class id {@code 0 .. nc-1}; classes without labels hold {@code NaN} (Ultralytics leaves
 * them out).
 *
 * @param images images seen ({@code seen})
 * @param instances ground-truth boxes ({@code nt_per_class.sum()})
 * @param precision mean precision at the max-F1 confidence ({@code mp})
 * @param recall mean recall at the max-F1 confidence ({@code mr})
 * @param map50 mean AP at IoU 0.50
 * @param map75 mean AP at IoU 0.75
 * @param map5095 mean AP over IoU 0.50:0.05:0.95
 * @param fitness {@link #DEFAULT_FITNESS_WEIGHTS} applied to {@code [P, R, mAP50, mAP50-95]} (Ultralytics 8.4:
 *        mAP50-95)
 * @param classPrecision per class id
 * @param classRecall per class id
 * @param classAp50 per class id
 * @param classAp5095 per class id
 * @param classInstances labels per class id ({@code nt_per_class})
 * @param classImages images containing each class id ({@code nt_per_image})
 * @param maxF1Confidence the confidence at which P and R were taken ({@code px[argmax(smoothed mean F1)]}), 0 without
 *        labels
 */
public record ValidationMetrics(int images, int instances, double precision, double recall, double map50, double map75,
        double map5095, double fitness, double[] classPrecision, double[] classRecall, double[] classAp50,
        double[] classAp5095, int[] classInstances, int[] classImages, double maxF1Confidence) {

    /**
     * Ultralytics 8.4's fitness weights for {@code [P, R, mAP50, mAP50-95]}: fitness is mAP50-95 (the fixtures'
     * {@code val_metrics.json} records {@code fitness == mAP50-95}).
     */
    public static final double[] DEFAULT_FITNESS_WEIGHTS = { 0.0, 0.0, 0.0, 1.0 };
    /** The older Ultralytics/YOLOv5 weights {@code [0, 0, 0.1, 0.9]}, for comparisons with earlier training runs. */
    public static final double[] LEGACY_FITNESS_WEIGHTS = { 0.0, 0.0, 0.1, 0.9 };

    public ValidationMetrics {
        classPrecision = classPrecision.clone();
        classRecall = classRecall.clone();
        classAp50 = classAp50.clone();
        classAp5095 = classAp5095.clone();
        classInstances = classInstances.clone();
        classImages = classImages.clone();
    }

    /** Number of classes the per-class arrays cover. */
    public int classCount() {
        return classAp5095.length;
    }

    /** {@code sum(w * [P, R, mAP50, mAP50-95])}, like Ultralytics' {@code Metric.fitness}. */
    public double fitness(double[] weights) {
        if (weights.length != 4) {
            throw new IllegalArgumentException("need 4 weights for [P, R, mAP50, mAP50-95]");
        }
        return NumpyOps.sum(new double[] { precision * weights[0], recall * weights[1], map50 * weights[2],
                map5095 * weights[3] });
    }

    @Override
    public double[] classPrecision() {
        return classPrecision.clone();
    }

    @Override
    public double[] classRecall() {
        return classRecall.clone();
    }

    @Override
    public double[] classAp50() {
        return classAp50.clone();
    }

    @Override
    public double[] classAp5095() {
        return classAp5095.clone();
    }

    @Override
    public int[] classInstances() {
        return classInstances.clone();
    }

    @Override
    public int[] classImages() {
        return classImages.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationMetrics m && images == m.images && instances == m.instances
                && Double.compare(precision, m.precision) == 0 && Double.compare(recall, m.recall) == 0
                && Double.compare(map50, m.map50) == 0 && Double.compare(map75, m.map75) == 0
                && Double.compare(map5095, m.map5095) == 0 && Double.compare(fitness, m.fitness) == 0
                && Arrays.equals(classPrecision, m.classPrecision) && Arrays.equals(classRecall, m.classRecall)
                && Arrays.equals(classAp50, m.classAp50) && Arrays.equals(classAp5095, m.classAp5095)
                && Arrays.equals(classInstances, m.classInstances) && Arrays.equals(classImages, m.classImages)
                && Double.compare(maxF1Confidence, m.maxF1Confidence) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] { images, instances, precision, recall, map50, map75, map5095, fitness })
                * 31 + Arrays.hashCode(classAp5095);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ValidationMetrics[images=%d, instances=%d, P=%.6f, R=%.6f, mAP50=%.6f, "
                + "mAP50-95=%.6f, fitness=%.6f, classAp5095=%s]", images, instances, precision, recall, map50, map5095,
                fitness, Arrays.toString(classAp5095));
    }
}
