package io.visionplatform.model.rest;

import java.util.List;

/**
 * The contract's predict answer: {@code predictions} sits beside {@code success}, not inside {@code data}.
 *
 * @param image the size of the image predicted on
 * @param speedMs inference time (pre-processing, network and post-processing), milliseconds
 */
public record PredictResponse(boolean success, List<PredictionView> predictions, ImageSize image, double speedMs) {

    public record ImageSize(int width, int height) {
    }
}
