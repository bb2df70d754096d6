package io.visionplatform.vision.pt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A contiguous tensor to be written into a checkpoint: element type, shape (outermost first; empty for a 0-d tensor)
 * and the elements in row-major order as little-endian bytes, exactly what a {@code <prefix>/data/<key>} storage entry
 * holds. The byte array is not copied; treat it as read-only.
 */
public record TensorData(DType dtype, long[] shape, byte[] data) {

    public TensorData {
        shape = shape.clone();
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            numel = Math.multiplyExact(numel, d);
        }
        if (data.length != numel * dtype.itemSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + numel * dtype.itemSize() + " bytes, got " + data.length);
        }
    }

    /** A float32 tensor of {@code values} (row-major) with {@code shape}. */
    public static TensorData ofFloat32(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return new TensorData(DType.FLOAT32, shape, b.array());
    }

    /** A float16 tensor of {@code values} rounded to the nearest half (ties to even), as {@code tensor.half()} does. */
    public static TensorData ofFloat16(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 2);
        for (float v : values) {
            b.putShort((short) floatToHalf(v));
        }
        return new TensorData(DType.FLOAT16, shape, b.array());
    }

    /** An int64 tensor of {@code values} (row-major) with {@code shape}. */
    public static TensorData ofInt64(long[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 8);
        for (long v : values) {
            b.putLong(v);
        }
        return new TensorData(DType.INT64, shape, b.array());
    }

    /** A 0-d int64 tensor, e.g. BatchNorm's {@code num_batches_tracked}. */
    public static TensorData ofLong(long value) {
        return ofInt64(new long[] { value });
    }

    private static ByteBuffer buffer(int count, int itemSize) {
        return ByteBuffer.allocate(Math.multiplyExact(count, itemSize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of elements (1 for a 0-d tensor). */
    public long numel() {
        return data.length / dtype.itemSize();
    }

    /** The values as float, row-major; float16/bfloat16 exactly, float64 and integers cast. */
    public float[] toFloatArray() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT16 -> DType.halfToFloat(b.getShort(i * 2) & 0xffff);
                case BFLOAT16 -> DType.bfloat16ToFloat(b.getShort(i * 2) & 0xffff);
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT64 -> (float) b.getDouble(i * 8);
                case INT8 -> b.get(i);
                case UINT8 -> b.get(i) & 0xff;
                case BOOL -> b.get(i) != 0 ? 1 : 0;
                case INT16 -> b.getShort(i * 2);
                case INT32 -> b.getInt(i * 4);
                case INT64 -> b.getLong(i * 8);
            };
        }
        return out;
    }

    /** This tensor as float16: itself when it already is, else its values rounded; integer tensors are kept. */
    public TensorData toFloat16() {
        return dtype == DType.FLOAT16 || !dtype.isFloatingPoint() ? this : ofFloat16(toFloatArray(), shape);
    }

    /** This tensor as float32: itself when it already is, else its values converted; integer tensors are kept. */
    public TensorData toFloat32() {
        return dtype == DType.FLOAT32 || !dtype.isFloatingPoint() ? this : ofFloat32(toFloatArray(), shape);
    }

    /**
     * IEEE 754 binary32 to binary16 bits, rounding to nearest with ties to even: too large becomes infinity, too small
     * becomes a subnormal or (signed) zero, NaN stays NaN.
     */
    public static int floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0);
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return sign | 0x7c00;
        }
        if (halfExponent <= 0) {
            // subnormal half: units of 2^-24; the float's full significand shifted into them
            int shift = 126 - exponent;
            if (exponent == 0 || shift > 24) {
                return sign;
            }
            int significand = mantissa | 0x800000;
            return sign | roundShift(significand, shift);
        }
        // the carry of rounding up may reach the exponent (and infinity), which is the right result
        return sign + roundShift((halfExponent << 23) | mantissa, 13);
    }

    /** {@code value >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || (rest == half && (kept & 1) == 1) ? kept + 1 : kept;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + ", shape=" + Arrays.toString(shape) + "]";
    }
}
