package io.visionplatform.vision.image;

/**
 * The geometry of one letterbox: how an original image of {@code originalWidth x originalHeight} was scaled by
 * {@code scale} to {@code unpaddedWidth x unpaddedHeight} and padded to the model input {@code inputWidth x inputHeight}.
 * Everything needed to map boxes from input pixels back to original-image pixels.
 */
public record LetterboxInfo(
        int originalWidth,
        int originalHeight,
        double scale,
        int unpaddedWidth,
        int unpaddedHeight,
        int padLeft,
        int padTop,
        int padRight,
        int padBottom,
        int inputWidth,
        int inputHeight) {

    public LetterboxInfo {
        if (unpaddedWidth + padLeft + padRight != inputWidth || unpaddedHeight + padTop + padBottom != inputHeight) {
            throw new IllegalArgumentException("padding does not add up to the input size");
        }
    }
}
