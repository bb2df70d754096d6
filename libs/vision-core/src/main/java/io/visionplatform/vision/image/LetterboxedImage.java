package io.visionplatform.vision.image;

/** A letterboxed image (still BGR uint8) and the geometry that produced it. */
public record LetterboxedImage(BgrImage image, LetterboxInfo info) {

    /** The model input: NCHW float32, RGB, values {@code uint8 / 255}. */
    public float[] toTensor() {
        return ImageTensor.toNchwRgb(image);
    }
}
