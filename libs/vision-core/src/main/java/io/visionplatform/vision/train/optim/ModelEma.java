package io.visionplatform.vision.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.visionplatform.vision.train.nn.ParameterStore;

/**
 * Ultralytics' {@code ModelEMA}: an exponential moving average of every floating-point state entry (parameters and
 * BatchNorm statistics) with a decay that ramps up as {@code 0.9999 * (1 - exp(-updates / 2000))}, so early updates
 * follow the model closely. Validation and the saved checkpoints use the average.
 */
public final class ModelEma implements AutoCloseable {

    private static final double DECAY = 0.9999;
    private static final double TAU = 2000.0;

    private final NDManager manager;
    private final Map<String, NDArray> averages = new LinkedHashMap<>();
    private long updates;

    public ModelEma(ParameterStore store) {
        this.manager = store.manager().newSubManager();
        for (Map.Entry<String, NDArray> e : store.arrays().entrySet()) {
            NDArray copy = e.getValue().stopGradient().duplicate();
            copy.attach(manager);
            averages.put(e.getKey(), copy);
        }
    }

    /** Averages in the current values of {@code store}; call after each optimizer step. */
    public void update(ParameterStore store) {
        updates++;
        double d = DECAY * (1 - Math.exp(-updates / TAU));
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : averages.entrySet()) {
                NDArray current = store.get(e.getKey()).stopGradient();
                current.attach(scope);
                e.getValue().muli((float) d).addi(current.mul((float) (1 - d)));
            }
        }
    }

    public NDArray get(String name) {
        NDArray a = averages.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no state entry " + name);
        }
        return a;
    }

    /** The averaged entries in state-dict order. */
    public Map<String, NDArray> arrays() {
        return java.util.Collections.unmodifiableMap(averages);
    }

    public long updates() {
        return updates;
    }

    @Override
    public void close() {
        manager.close();
    }
}
