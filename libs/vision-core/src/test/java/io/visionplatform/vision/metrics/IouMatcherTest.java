package io.visionplatform.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IouMatcherTest {

    private static final float[] T = IouMatcher.cocoThresholds();

    private static boolean[][] match(float[][] gt, int[] gtCls, float[][] pred, int[] predCls) {
        return IouMatcher.match(predCls, gtCls, BoxIou.matrix(gt, pred), T);
    }

    @Test
    void thresholdsAreTorchsFloat32Linspace() {
        // torch.linspace(0.5, 0.95, 10).tolist()
        assertThat(T).containsExactly(0.5f, 0.550000011920929f, 0.6000000238418579f, 0.6499999761581421f,
                0.699999988079071f, 0.75f, 0.800000011920929f, 0.8500000238418579f, 0.8999999761581421f,
                0.949999988079071f);
    }

    @Test
    void iouAtExactlyTheThresholdCounts() {
        // IoU 0.5 exactly: [0,10] vs [0,20] over the same height is 100/200
        boolean[][] tp = match(new float[][] { { 0, 0, 10, 10 } }, new int[] { 0 }, new float[][] { { 0, 0, 20, 10 } },
                new int[] { 0 });
        assertThat(tp[0][0]).isTrue();
        assertThat(tp[0][1]).isFalse();
    }

    @Test
    void aLabelIsMatchedOnceAndDuplicatesAreFalsePositives() {
        float[] a = { 0, 0, 10, 10 };
        boolean[][] tp = match(new float[][] { a }, new int[] { 0 }, new float[][] { a, a, { 0, 0, 10, 9 } },
                new int[] { 0, 0, 0 });
        for (int t = 0; t < T.length; t++) {
            assertThat(tp[0][t]).isTrue();
            assertThat(tp[1][t]).isFalse();
            assertThat(tp[2][t]).isFalse();
        }
    }

    @Test
    void classesMustAgree() {
        float[] a = { 0, 0, 10, 10 };
        boolean[][] tp = match(new float[][] { a }, new int[] { 0 }, new float[][] { a, a }, new int[] { 1, 0 });
        assertThat(tp[0]).containsOnly(false);
        assertThat(tp[1]).containsOnly(true);
    }

    /**
     * Ultralytics' quirk: after keeping each prediction's best label, a contested label goes to the earliest
     * prediction, and a prediction that lost is not re-matched to its second-best label. Here p0's best label is B
     * (0.818) over A (0.538), p1's is B (1.0): p0 gets B, p1 is a false positive and A stays unmatched, although a
     * greedy-by-IoU matching would pair p1-B and p0-A. (Output of Ultralytics' match_predictions on these boxes.)
     */
    @Test
    void contestedLabelGoesToTheEarliestPredictionLikeUltralytics() {
        float[] a = { 0, 0, 10, 10 };
        float[] b = { 4, 0, 14, 10 };
        boolean[][] tp = match(new float[][] { a, b }, new int[] { 0, 0 }, new float[][] { { 3, 0, 13, 10 }, b },
                new int[] { 0, 0 });
        assertThat(tp[0]).containsExactly(true, true, true, true, true, true, true, false, false, false);
        assertThat(tp[1]).containsExactly(false, false, false, false, false, false, false, true, true, true);
    }
}
