package io.visionplatform.vision.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param status {@code completed} or {@code cancelled}
 * @param epochsDone epochs fully trained
 * @param bestEpoch 0-based epoch of the best checkpoint, -1 when none was validated
 * @param bestMetrics the SDK metrics of the best epoch (empty when none)
 * @param best the best checkpoint, null when no epoch finished
 * @param bestOnnx its ONNX export, null when none
 * @param last the last checkpoint (also written on cancel)
 * @param imagesPerSecond training images per second over the run, augmentation included, validation excluded
 */
public record TrainResult(String status, int epochsDone, int bestEpoch, double bestFitness,
        Map<String, Object> bestMetrics, Path best, Path bestOnnx, Path last, double seconds, double imagesPerSecond) {
}
