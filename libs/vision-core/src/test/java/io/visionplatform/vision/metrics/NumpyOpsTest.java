package io.visionplatform.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Expected values were produced by numpy 1.24.2, the version the Ultralytics fixtures were made with. */
class NumpyOpsTest {

    @Test
    void argsortPlacesTiesLikeNumpysQuicksort() {
        double[] a = { 3, 1, 2, 3, 3, 1, 0, 2, 2, 1, 3, 0, 0, 1, 2, 3, 1, 2, 0, 3, 2, 1, 1, 3 };
        assertThat(NumpyOps.argsort(a)).containsExactly(11, 18, 6, 12, 1, 21, 5, 13, 16, 9, 22, 14, 8, 7, 20, 2, 17,
                19, 0, 10, 4, 3, 15, 23);
        double[] b = { 0.8, 0.8, 0.5, 0.3, 0.1, 0.4, 0.4, 0.0, 0.0, 1.0, 0.7, 0.2, 0.4, 1.0, 0.9, 0.8, 0.4, 0.5, 0.7,
                0.1, 0.6, 0.3, 0.9, 0.1, 0.7, 0.9, 0.2, 0.9, 0.9, 0.0, 0.7, 0.0, 0.5, 0.4, 0.2, 0.3, 0.8, 0.3, 0.1, 0.7 };
        assertThat(NumpyOps.argsort(b)).containsExactly(29, 31, 7, 8, 19, 38, 4, 23, 11, 34, 26, 3, 21, 37, 35, 6, 5,
                33, 16, 12, 32, 17, 2, 20, 30, 39, 24, 18, 10, 15, 36, 1, 0, 27, 28, 22, 14, 25, 13, 9);
    }

    @Test
    void argsortPartitionsFromSeventeenElements() {
        // np.zeros(17).argsort(): numpy's SMALL_QUICKSORT is 15, so 17 equal values are partitioned, not
        // insertion-sorted
        assertThat(NumpyOps.argsort(new double[17])).containsExactly(0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1,
                7, 16);
        assertThat(NumpyOps.argsort(new double[16])).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                15);
        assertThat(Arrays.copyOf(NumpyOps.argsort(new double[128]), 20)).containsExactly(0, 93, 92, 91, 90,
                89, 88, 87, 86, 85, 84, 83, 82, 81, 94, 80, 78, 77, 76, 75);
    }

    @Test
    void argsortSortsLargeInputs() {
        Random random = new Random(11);
        for (int n : new int[] { 0, 1, 2, 17, 100, 5000 }) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextInt(50) / 7.0;
            }
            int[] order = NumpyOps.argsort(v);
            assertThat(order).hasSize(n);
            assertThat(Arrays.stream(order).sorted().toArray())
                    .isEqualTo(IntStream.range(0, n).toArray());
            for (int i = 1; i < n; i++) {
                assertThat(v[order[i - 1]]).isLessThanOrEqualTo(v[order[i]]);
            }
        }
    }

    @Test
    void interpUsesTheLastOfRepeatedPointsAndTheEndValues() {
        double[] r = NumpyOps.interp(new double[] { 0, 0.5, 1, 1.5, -1 }, new double[] { 0, 0, 1, 1 },
                new double[] { 1, .5, .5, 0 }, 7, 9);
        assertThat(r).containsExactly(0.5, 0.5, 0.0, 9.0, 7.0);
        assertThat(NumpyOps.interp(new double[] { 0, 0.25, 1 }, new double[] { 0, 1 }, new double[] { 0, 2 }, -1, -1))
                .containsExactly(0, 0.5, 2);
        assertThat(NumpyOps.interp(new double[] { -1, 0, 1 }, new double[] { 0 }, new double[] { 5 }, 1, 2))
                .containsExactly(1, 5, 2);
    }

    @Test
    void linspaceAndTrapz() {
        double[] x = NumpyOps.linspace(0, 1, 101);
        assertThat(x[0]).isZero();
        assertThat(x[100]).isEqualTo(1.0);
        assertThat(x[50]).isEqualTo(0.5);
        double[] y = new double[101];
        Arrays.fill(y, 2.0);
        assertThat(NumpyOps.trapz(y, x)).isCloseTo(2.0, within(1e-12));
        assertThat(NumpyOps.mean(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })).isEqualTo(5.5);
    }
}
