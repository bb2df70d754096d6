package io.visionplatform.vision.train.nn;

import ai.djl.ndarray.NDArray;

/** Where a forward pass reads its tensors by state-dict name: the trained weights or their moving average. */
@FunctionalInterface
public interface Weights {
    NDArray get(String name);
}
