package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class TensorTest {

    private static TorchStorage storage(DType dtype, ByteOrder order, byte[] bytes) throws CheckpointException {
        return TorchStorage.of("0", dtype, "cpu", bytes.length / dtype.itemSize(), order, s -> bytes.clone());
    }

    private static TorchStorage floats(float... values) throws CheckpointException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return storage(DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, b.array());
    }

    @Test
    void halfPrecisionConvertsExactly() {
        assertThat(DType.halfToFloat(0x3c00)).isEqualTo(1.0f);
        assertThat(DType.halfToFloat(0xc000)).isEqualTo(-2.0f);
        assertThat(DType.halfToFloat(0x3555)).isEqualTo(0.33325195f);
        assertThat(DType.halfToFloat(0x7bff)).isEqualTo(65504f);
        assertThat(DType.halfToFloat(0x0400)).isEqualTo(0x1p-14f);
        assertThat(DType.halfToFloat(0x0001)).isEqualTo(0x1p-24f);
        assertThat(DType.halfToFloat(0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(DType.halfToFloat(0x8000)).isEqualTo(-0.0f);
        assertThat(Float.floatToIntBits(DType.halfToFloat(0x8000))).isEqualTo(0x80000000);
        assertThat(DType.halfToFloat(0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(DType.halfToFloat(0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(DType.halfToFloat(0x7e00)).isNaN();
        assertThat(DType.bfloat16ToFloat(0x3f80)).isEqualTo(1.0f);
        // positive finite halves increase strictly with their bits, and the sign bit only flips the sign
        for (int bits = 0; bits < 0x7bff; bits++) {
            assertThat(DType.halfToFloat(bits + 1)).as("half 0x%04x", bits + 1).isGreaterThan(DType.halfToFloat(bits));
            assertThat(DType.halfToFloat(bits | 0x8000)).isEqualTo(-DType.halfToFloat(bits));
        }
        // the largest half below 1
        assertThat((double) DType.halfToFloat(0x3bff)).isEqualTo(1 - Math.pow(2, -11));
    }

    @Test
    void viewsComeBackRowMajor() throws Exception {
        TorchStorage s = floats(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Tensor contiguous = Tensor.of(s, 0, new long[] { 3, 4 }, new long[] { 4, 1 }, false);
        assertThat(contiguous.isContiguous()).isTrue();
        assertThat(contiguous.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Tensor transposed = Tensor.of(s, 0, new long[] { 4, 3 }, new long[] { 1, 4 }, false);
        assertThat(transposed.toFloatArray()).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        Tensor slice = Tensor.of(s, 5, new long[] { 2, 2 }, new long[] { 4, 2 }, false);
        assertThat(slice.toDoubleArray()).containsExactly(5, 7, 9, 11);
        Tensor scalar = Tensor.of(s, 11, new long[0], new long[0], false);
        assertThat(scalar.numel()).isEqualTo(1);
        assertThat(scalar.toFloatArray()).containsExactly(11);
        Tensor empty = Tensor.of(s, 12, new long[] { 0, 3 }, new long[] { 3, 1 }, false);
        assertThat(empty.toFloatArray()).isEmpty();
        Tensor expanded = Tensor.of(s, 2, new long[] { 3 }, new long[] { 0 }, false);
        assertThat(expanded.toFloatArray()).containsExactly(2, 2, 2);
    }

    @Test
    void integerTypesAndByteOrder() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        b.putLong(-3).putLong(1L << 40).putLong(7);
        Tensor longs = Tensor.of(storage(DType.INT64, ByteOrder.BIG_ENDIAN, b.array()), 0, new long[] { 3 },
                new long[] { 1 }, false);
        assertThat(longs.toLongArray()).containsExactly(-3, 1L << 40, 7);
        assertThat(longs.toFloatArray()).containsExactly(-3f, (float) (1L << 40), 7f);
        Tensor bytes = Tensor.of(storage(DType.UINT8, ByteOrder.LITTLE_ENDIAN, new byte[] { -1, 2 }), 0,
                new long[] { 2 }, new long[] { 1 }, false);
        assertThat(bytes.toLongArray()).containsExactly(255, 2);
        Tensor bools = Tensor.of(storage(DType.BOOL, ByteOrder.LITTLE_ENDIAN, new byte[] { 0, 5 }), 0,
                new long[] { 2 }, new long[] { 1 }, false);
        assertThat(bools.toLongArray()).containsExactly(0, 1);
        Tensor halves = Tensor.of(storage(DType.FLOAT16, ByteOrder.LITTLE_ENDIAN, new byte[] { 0, 0x3c, 0, (byte) 0xc0 }),
                0, new long[] { 2 }, new long[] { 1 }, false);
        assertThat(halves.toFloatArray()).containsExactly(1f, -2f);
        assertThatThrownBy(halves::toLongArray).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void outOfRangeViewsAreRefused() throws Exception {
        TorchStorage s = floats(0, 1, 2, 3);
        assertThatThrownBy(() -> Tensor.of(s, 0, new long[] { 5 }, new long[] { 1 }, false))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Tensor.of(s, 1, new long[] { 2, 2 }, new long[] { 2, 1 }, false))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Tensor.of(s, 0, new long[] { 2 }, new long[] { 4 }, false))
                .hasMessageContaining("out of range");
        assertThat(Tensor.of(s, 0, new long[] { 2 }, new long[] { 3 }, false).numel()).isEqualTo(2);
        assertThatThrownBy(() -> Tensor.of(s, 5, new long[] { 0 }, new long[] { 1 }, false))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Tensor.of(s, -1, new long[] { 1 }, new long[] { 1 }, false))
                .hasMessageContaining("negative offset");
        assertThatThrownBy(() -> Tensor.of(s, 3, new long[] { 2 }, new long[] { -1 }, false))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Tensor.of(s, 0, new long[] { 2, 2 }, new long[] { 1 }, false))
                .hasMessageContaining("different lengths");
        assertThatThrownBy(() -> Tensor.of(s, 0, new long[] { 1L << 40, 1L << 40 }, new long[] { 0, 0 }, false))
                .hasMessageContaining("overflows");
        assertThatThrownBy(() -> Tensor.of(s, 0, new long[] { Long.MAX_VALUE }, new long[] { 1 }, false))
                .isInstanceOf(CheckpointException.class);
        assertThatThrownBy(() -> Tensor.of(s, 0, new long[65], new long[65], false))
                .hasMessageContaining("dimensions");
    }

    @Test
    void hugeExpandedViewsAreNotMaterialised() throws Exception {
        Tensor expanded = Tensor.of(floats(1), 0, new long[] { 1L << 30 }, new long[] { 0 }, false);
        assertThat(expanded.numel()).isEqualTo(1L << 30);
        assertThatThrownBy(expanded::toFloatArray).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("materialised");
    }

    @Test
    void storagesOfTheWrongLengthAreRefusedOnLoad() throws Exception {
        TorchStorage lying = TorchStorage.of("0", DType.FLOAT32, "cpu", 4, ByteOrder.LITTLE_ENDIAN, s -> new byte[8]);
        Tensor t = Tensor.of(lying, 0, new long[] { 4 }, new long[] { 1 }, false);
        assertThatThrownBy(t::toFloatArray).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("should have 16 bytes, got 8");
        assertThatThrownBy(() -> TorchStorage.of("0", DType.INT64, "cpu", Long.MAX_VALUE / 2, ByteOrder.LITTLE_ENDIAN,
                s -> new byte[0])).isInstanceOf(CheckpointException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> TorchStorage.of("0", DType.INT64, "cpu", -1, ByteOrder.LITTLE_ENDIAN,
                s -> new byte[0])).isInstanceOf(CheckpointException.class).hasMessageContaining("negative");
    }
}
