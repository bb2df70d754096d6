package io.visionplatform.vision.pt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor rebuilt from a pickle ({@code torch._utils._rebuild_tensor_v2} or {@code _rebuild_parameter}): a view
 * (shape, strides, offset, all in elements) into a {@link TorchStorage}. The view is checked against the storage when
 * the tensor is built, so every element it addresses exists; values are read from the storage only when asked for, and
 * come back in contiguous row-major (C) order whatever the strides.
 *
 * <p>
 * Equality is identity (a tensor shared by two modules is the same {@code Tensor}).
 */
public final class Tensor {

    /** The most dimensions a tensor may have (PyTorch's own limit). */
    public static final int MAX_DIMS = 64;

    /**
     * Views that address more elements than their storage holds (zero strides, as {@code expand} makes) are
     * materialised only up to this many elements; other views are bounded by their storage, which is bounded by the file.
     */
    public static final long MAX_EXPANDED_ELEMENTS = 1L << 24;

    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;
    private final long numel;
    private final boolean requiresGrad;
    private final boolean parameter;

    private Tensor(TorchStorage storage, long offset, long[] shape, long[] stride, long numel, boolean requiresGrad,
            boolean parameter) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.stride = stride;
        this.numel = numel;
        this.requiresGrad = requiresGrad;
        this.parameter = parameter;
    }

    /**
     * A view into a storage. Refuses mismatched shape and stride lengths, more than {@link #MAX_DIMS} dimensions,
     * negative sizes, strides or offset, and any view that would address an element outside the storage.
     */
    public static Tensor of(TorchStorage storage, long storageOffset, long[] shape, long[] stride, boolean requiresGrad)
            throws CheckpointException {
        String what = "tensor view " + Arrays.toString(shape) + " stride " + Arrays.toString(stride) + " offset "
                + storageOffset + " of storage '" + Describe.text(storage.key()) + "' (" + storage.numel()
                + " elements)";
        if (shape.length != stride.length) {
            throw new CheckpointException(what + ": size and stride have different lengths");
        }
        if (shape.length > MAX_DIMS) {
            throw new CheckpointException(what + ": more than " + MAX_DIMS + " dimensions");
        }
        if (storageOffset < 0) {
            throw new CheckpointException(what + ": negative offset");
        }
        long numel = 1;
        long last = storageOffset;
        try {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || stride[i] < 0) {
                    throw new CheckpointException(what + ": negative size or stride");
                }
                numel = Math.multiplyExact(numel, shape[i]);
            }
            if (numel > 0) {
                for (int i = 0; i < shape.length; i++) {
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            }
        } catch (ArithmeticException e) {
            throw new CheckpointException(what + ": size overflows");
        }
        if (numel > 0 ? last >= storage.numel() : storageOffset > storage.numel()) {
            throw new CheckpointException(what + ": out of range, needs element " + last);
        }
        return new Tensor(storage, storageOffset, shape.clone(), stride.clone(), numel, requiresGrad, false);
    }

    /** The same view as an {@code nn.Parameter}. */
    Tensor asParameter(boolean requiresGradient) {
        return new Tensor(storage, offset, shape, stride, numel, requiresGradient, true);
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** The sizes, outermost first (a copy). A scalar tensor has none. */
    public long[] shape() {
        return shape.clone();
    }

    /** The strides in elements (a copy). */
    public long[] stride() {
        return stride.clone();
    }

    public long storageOffset() {
        return offset;
    }

    public int dim() {
        return shape.length;
    }

    /** The number of elements (1 for a scalar). */
    public long numel() {
        return numel;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether it was pickled as an {@code nn.Parameter}. */
    public boolean isParameter() {
        return parameter;
    }

    public TorchStorage storage() {
        return storage;
    }

    /** Whether the elements lie in row-major order with no gaps. */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The values as float, row-major; float16/bfloat16 are converted exactly, other types are cast. */
    public float[] toFloatArray() throws IOException {
        int n = arrayLength();
        ByteBuffer bytes = storage.load();
        float[] out = new float[n];
        Indices it = new Indices();
        for (int k = 0; k < n; k++) {
            out[k] = (float) element(bytes, it.next());
        }
        return out;
    }

    /** The values as double, row-major. */
    public double[] toDoubleArray() throws IOException {
        int n = arrayLength();
        ByteBuffer bytes = storage.load();
        double[] out = new double[n];
        Indices it = new Indices();
        for (int k = 0; k < n; k++) {
            out[k] = element(bytes, it.next());
        }
        return out;
    }

    /**
     * The values of an integer or bool tensor as long, row-major (bool as 0/1).
     *
     * @throws IllegalStateException for a floating-point tensor
     */
    public long[] toLongArray() throws IOException {
        if (dtype().isFloatingPoint()) {
            throw new IllegalStateException("toLongArray() on a " + dtype() + " tensor; use toFloatArray()");
        }
        int n = arrayLength();
        ByteBuffer bytes = storage.load();
        long[] out = new long[n];
        Indices it = new Indices();
        for (int k = 0; k < n; k++) {
            out[k] = integer(bytes, it.next());
        }
        return out;
    }

    private int arrayLength() throws CheckpointException {
        if (numel > TorchStorage.MAX_LOAD_BYTES || (numel > storage.numel() && numel > MAX_EXPANDED_ELEMENTS)) {
            throw new CheckpointException("tensor " + Arrays.toString(shape) + " has " + numel
                    + " elements, more than can be materialised");
        }
        return (int) numel;
    }

    private double element(ByteBuffer b, long index) {
        int i = (int) index;
        switch (dtype()) {
            case FLOAT16:
                return DType.halfToFloat(b.getShort(i * 2) & 0xffff);
            case BFLOAT16:
                return DType.bfloat16ToFloat(b.getShort(i * 2) & 0xffff);
            case FLOAT32:
                return b.getFloat(i * 4);
            case FLOAT64:
                return b.getDouble(i * 8);
            default:
                return integer(b, index);
        }
    }

    private long integer(ByteBuffer b, long index) {
        int i = (int) index;
        switch (dtype()) {
            case INT8:
                return b.get(i);
            case UINT8:
                return b.get(i) & 0xff;
            case BOOL:
                return b.get(i) != 0 ? 1 : 0;
            case INT16:
                return b.getShort(i * 2);
            case INT32:
                return b.getInt(i * 4);
            case INT64:
                return b.getLong(i * 8);
            default:
                throw new IllegalStateException("not an integer type: " + dtype());
        }
    }

    /** Storage indices of the elements in row-major order (an odometer over the shape). */
    private final class Indices {
        private final long[] counter = new long[shape.length];
        private long index = offset;
        private boolean started;

        long next() {
            if (!started) {
                started = true;
                return index;
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++counter[d] < shape[d]) {
                    index += stride[d];
                    return index;
                }
                index -= (shape[d] - 1) * stride[d];
                counter[d] = 0;
            }
            return index;
        }
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype() + ", shape=" + Arrays.toString(shape) + (parameter ? ", parameter" : "") + "]";
    }
}
