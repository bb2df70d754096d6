package io.visionplatform.vision.detect;

/** One detected object; the box corners are in original-image pixels, clipped to the image. */
public record Detection(int classId, String className, float confidence, float x1, float y1, float x2, float y2) {

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }
}
