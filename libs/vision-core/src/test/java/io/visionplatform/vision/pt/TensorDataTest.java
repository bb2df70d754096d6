package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link TensorData}'s float16 rounding (IEEE round to nearest, ties to even) and its factories. */
class TensorDataTest {

    @Test
    void everyHalfValueConvertsBackToItsOwnBits() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = DType.halfToFloat(bits);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(DType.halfToFloat(TensorData.floatToHalf(f)))).isTrue();
            } else {
                assertThat(TensorData.floatToHalf(f)).as("half 0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void midpointsRoundToEvenAndEverythingElseToNearest() {
        // between each pair of neighbouring positive halves (normal and subnormal)
        for (int bits = 0; bits < 0x7bff; bits++) {
            float lo = DType.halfToFloat(bits);
            float hi = DType.halfToFloat(bits + 1);
            float mid = (lo + hi) / 2; // exact in float
            int even = (bits & 1) == 0 ? bits : bits + 1;
            assertThat(TensorData.floatToHalf(mid)).as("midpoint after 0x%04x", bits).isEqualTo(even);
            assertThat(TensorData.floatToHalf(Math.nextDown(mid))).isEqualTo(bits);
            assertThat(TensorData.floatToHalf(Math.nextUp(mid))).isEqualTo(bits + 1);
            assertThat(TensorData.floatToHalf(-mid)).isEqualTo(0x8000 | even);
        }
    }

    @Test
    void outOfRangeValuesSaturateOrVanish() {
        assertThat(TensorData.floatToHalf(65520f)).isEqualTo(0x7c00); // halfway to 2^16 rounds up to infinity
        assertThat(TensorData.floatToHalf(65519.99f)).isEqualTo(0x7bff);
        assertThat(TensorData.floatToHalf(1e9f)).isEqualTo(0x7c00);
        assertThat(TensorData.floatToHalf(-1e9f)).isEqualTo(0xfc00);
        assertThat(TensorData.floatToHalf(Float.POSITIVE_INFINITY)).isEqualTo(0x7c00);
        assertThat(TensorData.floatToHalf(0x1p-25f)).isEqualTo(0); // half the smallest subnormal: tie to even 0
        assertThat(TensorData.floatToHalf(Math.nextUp(0x1p-25f))).isEqualTo(1);
        assertThat(TensorData.floatToHalf(Float.MIN_VALUE)).isEqualTo(0);
        assertThat(TensorData.floatToHalf(-Float.MIN_VALUE)).isEqualTo(0x8000);
    }

    @Test
    void factoriesCheckShapeAndConvert() {
        TensorData f = TensorData.ofFloat32(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        assertThat(f.numel()).isEqualTo(6);
        assertThat(f.data()).hasSize(24);
        assertThat(f.toFloat16().dtype()).isEqualTo(DType.FLOAT16);
        assertThat(f.toFloat16().toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(f.toFloat32()).isSameAs(f);
        assertThat(TensorData.ofLong(7).shape()).isEmpty();
        assertThat(TensorData.ofLong(7).toFloat16().dtype()).isEqualTo(DType.INT64);
        assertThat(TensorData.ofLong(7).toFloatArray()).containsExactly(7);
        assertThatThrownBy(() -> TensorData.ofFloat32(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
