package io.visionplatform.vision.train.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The trainable state of a network under Ultralytics' state-dict names, in the order PyTorch would list them:
 * parameters (which the optimizer updates, grouped as Ultralytics does) and the BatchNorm running statistics.
 * Arrays live in the store's manager, so they outlive every per-batch scope.
 */
public final class ParameterStore implements AutoCloseable {

    /** How the optimizer treats an entry: Ultralytics' three parameter groups, plus buffers it never touches. */
    public enum Kind {
        /** Convolution weights: group 0, with weight decay. */
        WEIGHT,
        /** BatchNorm weights: group 1, no decay. */
        NORM_WEIGHT,
        /** Biases: group 2, no decay (and the warmup bias learning rate). */
        BIAS,
        /** BatchNorm running mean / variance: averaged by the EMA, not trained. */
        BUFFER
    }

    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final SplittableRandom random;

    public ParameterStore(NDManager manager, long seed) {
        this.manager = manager;
        this.random = new SplittableRandom(seed);
    }

    public NDManager manager() {
        return manager;
    }

    /**
     * PyTorch's default Conv2d initialisation (Kaiming-uniform with a = sqrt(5), which is U(-1/sqrt(fan_in),
     * 1/sqrt(fan_in))), the one Ultralytics keeps.
     */
    NDArray convWeight(String name, long c2, long c1PerGroup, long k) {
        long fanIn = c1PerGroup * k * k;
        return add(name, Kind.WEIGHT, uniform(c2 * fanIn, 1.0 / Math.sqrt(fanIn)), c2, c1PerGroup, k, k);
    }

    /** PyTorch's default Conv2d bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    NDArray convBias(String name, long c2, long fanIn) {
        return add(name, Kind.BIAS, uniform(c2, 1.0 / Math.sqrt(fanIn)), c2);
    }

    NDArray constant(String name, Kind kind, float value, long... shape) {
        float[] v = new float[(int) new Shape(shape).size()];
        java.util.Arrays.fill(v, value);
        return add(name, kind, v, shape);
    }

    NDArray add(String name, Kind kind, float[] values, long... shape) {
        if (arrays.containsKey(name)) {
            throw new IllegalStateException("duplicate state entry " + name);
        }
        NDArray a = manager.create(values, new Shape(shape));
        if (kind != Kind.BUFFER) {
            a.setRequiresGradient(true);
        }
        arrays.put(name, a);
        kinds.put(name, kind);
        return a;
    }

    private float[] uniform(long n, double bound) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no state entry " + name);
        }
        return a;
    }

    /** All entries in state-dict order (unmodifiable view). */
    public Map<String, NDArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    public Kind kind(String name) {
        return kinds.get(name);
    }

    /** Replaces the values of an entry in place (loading a checkpoint, or the EMA copying back). */
    public void set(String name, float[] values) {
        NDArray a = get(name);
        if (a.getShape().size() != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + a.getShape());
        }
        a.set(values);
    }

    public long parameterCount() {
        long n = 0;
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            if (kinds.get(e.getKey()) != Kind.BUFFER) {
                n += e.getValue().size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
