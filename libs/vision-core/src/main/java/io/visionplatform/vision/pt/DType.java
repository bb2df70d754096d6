package io.visionplatform.vision.pt;

/** The element types of the PyTorch storages this reader understands, with the storage class that names each. */
public enum DType {
    FLOAT16(2, "HalfStorage", true),
    BFLOAT16(2, "BFloat16Storage", true),
    FLOAT32(4, "FloatStorage", true),
    FLOAT64(8, "DoubleStorage", true),
    INT8(1, "CharStorage", false),
    UINT8(1, "ByteStorage", false),
    INT16(2, "ShortStorage", false),
    INT32(4, "IntStorage", false),
    INT64(8, "LongStorage", false),
    BOOL(1, "BoolStorage", false);

    private final int itemSize;
    private final String storageClass;
    private final boolean floatingPoint;

    DType(int itemSize, String storageClass, boolean floatingPoint) {
        this.itemSize = itemSize;
        this.storageClass = storageClass;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The class in module {@code torch} whose name marks this type in a pickle, e.g. {@code HalfStorage}. */
    public String storageClass() {
        return storageClass;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The type of storage class {@code torch.<name>}, or null when this reader does not support it. */
    public static DType fromStorageClass(String name) {
        for (DType t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** IEEE 754 binary16 bits to float (exact: every half value is a float). */
    public static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** bfloat16 bits (the top half of a float32) to float. */
    public static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
