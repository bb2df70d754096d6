package io.visionplatform.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.visionplatform.vision.detect.Detection;

/**
 * Hand-computed cases; every expected value was also confirmed with Ultralytics' own functions. Note that Ultralytics'
 * AP of a perfect detector is 0.995, not 1: {@code compute_ap} appends the sentinel (recall 1, precision 0) after a
 * curve that already reaches recall 1, and {@code np.interp} at x = 1 takes the last of the equal recall points, so
 * the final 0.01-wide trapezoid of the 101-point integral is only half filled.
 */
class MetricsAccumulatorTest {

    private static final double EPS = 1e-12;
    private static final float[] A = { 0, 0, 10, 10 };
    private static final float[] FAR = { 50, 50, 60, 60 };

    private static GroundTruthBox gt(int cls, float[] b) {
        return new GroundTruthBox(cls, b[0], b[1], b[2], b[3]);
    }

    private static Detection det(int cls, float conf, float[] b) {
        return new Detection(cls, "c" + cls, conf, b[0], b[1], b[2], b[3]);
    }

    private static float[] box(float x) {
        return new float[] { x, 0, x + 10, 10 };
    }

    @Test
    void perfectPredictionsScore0995LikeUltralytics() {
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(gt(0, A), gt(1, box(100))), List.of(det(0, 0.9f, A), det(1, 0.8f, box(100))));
        ValidationMetrics m = acc.compute(3);
        assertThat(m.map50()).isCloseTo(0.995, within(EPS));
        assertThat(m.map5095()).isCloseTo(0.995, within(EPS));
        assertThat(m.map75()).isCloseTo(0.995, within(EPS));
        assertThat(m.precision()).isEqualTo(1.0);
        assertThat(m.recall()).isEqualTo(1.0);
        assertThat(m.fitness()).isEqualTo(m.map5095());
        assertThat(m.fitness(ValidationMetrics.LEGACY_FITNESS_WEIGHTS)).isCloseTo(0.995, within(EPS));
        assertThat(m.images()).isEqualTo(1);
        assertThat(m.instances()).isEqualTo(2);
        assertThat(m.classInstances()).containsExactly(1, 1, 0);
        assertThat(m.classImages()).containsExactly(1, 1, 0);
        assertThat(m.classAp5095()[0]).isCloseTo(0.995, within(EPS));
        assertThat(m.classAp5095()[2]).isNaN();
        assertThat(m.classPrecision()[2]).isNaN();
    }

    @Test
    void aFalsePositiveAboveTheTruePositiveHalvesPrecision() {
        // sorted: FP (0.9), TP (0.8): recall [0, 1], precision [0, 0.5]; envelope 0.5 everywhere up to recall 1
        // AP = 0.5 * 0.99 + 0.01 * (0.5 + 0) / 2 = 0.4975
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(gt(0, A)), List.of(det(0, 0.9f, FAR), det(0, 0.8f, A)));
        ValidationMetrics m = acc.compute(1);
        assertThat(m.map50()).isCloseTo(0.4975, within(EPS));
        assertThat(m.map5095()).isCloseTo(0.4975, within(EPS));
        assertThat(m.precision()).isEqualTo(0.5);
        assertThat(m.recall()).isEqualTo(1.0);
    }

    @Test
    void missedLabelsLowerRecall() {
        // recall [0.5], precision [1]: precision 1 up to recall 0.5, then the sentinel line down to 0 at recall 1
        // AP = 0.5 + 0.25 = 0.75
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(gt(0, A), gt(0, FAR)), List.of(det(0, 0.9f, A)));
        ValidationMetrics m = acc.compute(1);
        assertThat(m.map50()).isCloseTo(0.75, within(EPS));
        assertThat(m.map5095()).isCloseTo(0.75, within(EPS));
        assertThat(m.precision()).isEqualTo(1.0);
        assertThat(m.recall()).isEqualTo(0.5);
    }

    @Test
    void aWrongClassIsNoMatchAndClassesWithoutLabelsAreIgnored() {
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(gt(0, A)), List.of(det(1, 0.9f, A)));
        ValidationMetrics m = acc.compute(2);
        assertThat(m.map50()).isZero();
        assertThat(m.map5095()).isZero();
        assertThat(m.precision()).isZero();
        assertThat(m.recall()).isZero();
        assertThat(m.classAp5095()[0]).isZero();
        assertThat(m.classAp5095()[1]).isNaN();
        // a prediction of a class that has no label anywhere does not count against the others
        MetricsAccumulator acc2 = new MetricsAccumulator();
        acc2.add(List.of(gt(0, A)), List.of(det(1, 0.95f, FAR), det(0, 0.9f, A)));
        assertThat(acc2.compute(2).map50()).isCloseTo(0.995, within(EPS));
    }

    @Test
    void emptyImagesCountAsImagesAndTheirPredictionsAsFalsePositives() {
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(), List.of());
        acc.add(List.of(), List.of(det(0, 0.95f, FAR)));
        acc.add(List.of(gt(0, A)), List.of(det(0, 0.9f, A)));
        acc.add(List.of(gt(0, box(200))), List.of());
        ValidationMetrics m = acc.compute(1);
        assertThat(m.images()).isEqualTo(4);
        assertThat(m.instances()).isEqualTo(2);
        assertThat(m.classImages()).containsExactly(2);
        // sorted: FP 0.95, TP 0.9 with 2 labels: recall [0, 0.5], precision [0, 0.5]
        // envelope 0.5 up to recall 0.5, then down to 0 at recall 1: AP = 0.25 + 0.125 = 0.375
        assertThat(m.map50()).isCloseTo(0.375, within(EPS));
        assertThat(m.precision()).isEqualTo(0.5);
        assertThat(m.recall()).isEqualTo(0.5);
    }

    @Test
    void noLabelsAtAllGiveZeros() {
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(), List.of(det(0, 0.5f, A)));
        ValidationMetrics m = acc.compute(2);
        assertThat(m.map5095()).isZero();
        assertThat(m.precision()).isZero();
        assertThat(m.instances()).isZero();
        assertThat(m.classAp5095()).containsOnly(Double.NaN);
        assertThat(new MetricsAccumulator().compute(1).images()).isZero();
    }

    @Test
    void apDependsOnIouThreshold() {
        // IoU 0.8: a true positive for thresholds 0.50..0.80 (7 of 10), AP 0.995 there and 0 above
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(gt(0, A)), List.of(det(0, 0.9f, new float[] { 0, 0, 10, 8 })));
        ValidationMetrics m = acc.compute(1);
        assertThat(m.map50()).isCloseTo(0.995, within(EPS));
        assertThat(m.map75()).isCloseTo(0.995, within(EPS));
        assertThat(m.map5095()).isCloseTo(0.995 * 7 / 10, within(EPS));
    }

    @Test
    void knownPrecisionRecallCurve() {
        // 4 labels; predictions TP 0.9, FP 0.8, TP 0.7, TP 0.6: recall [.25 .25 .5 .75], precision [1 .5 .667 .75]
        // envelope: 1 up to recall 0.25 (exclusive), 0.75 from 0.25 to 0.75, then linear to 0 at recall 1
        // AP = 0.24 + 0.01 * (1 + 0.75) / 2 + 0.5 * 0.75 + 0.25 * 0.75 / 2 = 0.7175
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add(List.of(gt(0, A), gt(0, box(100)), gt(0, box(200)), gt(0, box(300))),
                List.of(det(0, 0.9f, A), det(0, 0.8f, FAR), det(0, 0.7f, box(100)), det(0, 0.6f, box(200))));
        ValidationMetrics m = acc.compute(1);
        assertThat(m.map50()).isCloseTo(0.7175, within(EPS));
        assertThat(m.map5095()).isCloseTo(0.7175, within(EPS));
        assertThat(m.precision()).isEqualTo(0.75);
        assertThat(m.recall()).isEqualTo(0.75);
        assertThat(ApPerClass.computeAp(new double[] { .25, .25, .5, .75 }, new double[] { 1, .5, 2.0 / 3, .75 }))
                .isCloseTo(0.7175, within(EPS));
    }

    @Test
    void precisionAndRecallAreTakenAtTheMaxF1Confidence() {
        // 2 labels; TP 0.9, then 8 FPs at 0.8, then TP 0.1. The smoothed mean F1 peaks at px[849] = 0.8498 (between
        // 0.8 and 0.9), where recall is 0.5 and precision is interpolated (np.interp on -conf) between P = 1 at 0.9
        // and P = 1/9 at 0.8 -- not at the lowest confidence where R = 1 but P = 0.2. Values from Ultralytics'
        // ap_per_class on the same input.
        MetricsAccumulator acc = new MetricsAccumulator();
        List<Detection> preds = new ArrayList<>(List.of(det(0, 0.9f, A)));
        for (int i = 0; i < 8; i++) {
            preds.add(det(0, 0.8f, box(1000 + 20 * i)));
        }
        preds.add(det(0, 0.1f, box(100)));
        acc.add(List.of(gt(0, A), gt(0, box(100))), preds);
        ValidationMetrics m = acc.compute(1);
        assertThat(m.precision()).isCloseTo(0.7492492787830924, within(EPS));
        assertThat(m.recall()).isCloseTo(0.5, within(EPS));
        assertThat(m.maxF1Confidence()).isCloseTo(0.8498498498498498, within(EPS));
        assertThat(m.map50()).isCloseTo(0.595, within(EPS));
    }

    @Test
    void customThresholds() {
        MetricsAccumulator acc = new MetricsAccumulator(new float[] { 0.5f, 0.9f });
        acc.add(List.of(gt(0, A)), List.of(det(0, 0.9f, new float[] { 0, 0, 10, 8 })));
        ValidationMetrics m = acc.compute(1);
        assertThat(m.map50()).isCloseTo(0.995, within(EPS));
        assertThat(m.map5095()).isCloseTo(0.995 / 2, within(EPS));
        MetricsAccumulator empty = new MetricsAccumulator(new float[] { 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.95f,
                0.96f, 0.97f, 0.98f, 0.99f });
        empty.add(List.of(gt(0, A)), List.of());
        assertThat(empty.compute(1).map5095()).isZero();
    }

    @Test
    void rejectsInconsistentInput() {
        MetricsAccumulator acc = new MetricsAccumulator();
        assertThatThrownBy(() -> acc.add(new float[][] { A }, new int[0], new float[0][], new float[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.add(new float[0][], new int[0], new float[][] { A }, new float[0], new int[] { 0 }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.add(new float[][] { A }, new int[] { -1 }, new float[0][], new float[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class);
        acc.add(List.of(gt(3, A)), List.of());
        assertThatThrownBy(() -> acc.compute(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.compute(0)).isInstanceOf(IllegalArgumentException.class);
        acc.reset();
        assertThat(acc.images()).isZero();
    }

    @Test
    void yoloLabelsBecomePixelCorners() throws Exception {
        Path f = Files.createTempFile("labels", ".txt");
        try {
            Files.writeString(f, "1 0.5 0.25 0.2 0.1\n\n0 0.1 0.9 0.2 0.2\n");
            List<GroundTruthBox> boxes = GroundTruthBox.readYolo(f, 200, 100);
            assertThat(boxes).containsExactly(new GroundTruthBox(1, 80f, 20f, 120f, 30f),
                    new GroundTruthBox(0, 0f, 80f, 40f, 100f));
            Files.writeString(f, "1 0.5 0.25 0.2\n");
            assertThatThrownBy(() -> GroundTruthBox.readYolo(f, 200, 100)).isInstanceOf(IOException.class);
        } finally {
            Files.delete(f);
        }
    }
}
