package io.visionplatform.vision.detect;

import java.util.Arrays;

/** A model output tensor: its shape and its float32 values in row-major order. */
public record RawOutput(long[] shape, float[] data) {

    public RawOutput {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return (int) shape[i];
    }

    public int rank() {
        return shape.length;
    }
}
