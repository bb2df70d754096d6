package io.visionplatform.vision.train.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled training image: the image file and its boxes, {@code n * 5} floats {@code (cls, cx, cy, w, h)} with
 * coordinates normalised to the image's width and height (YOLO label format).
 */
public record Sample(Path image, float[] boxes) {

    public static final int FIELDS_PER_BOX = 5;

    public Sample {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(boxes, "boxes");
        if (boxes.length % FIELDS_PER_BOX != 0) {
            throw new IllegalArgumentException("boxes must hold n * 5 floats, got " + boxes.length + " for " + image);
        }
    }

    public int boxCount() {
        return boxes.length / FIELDS_PER_BOX;
    }

    @Override
    public String toString() {
        return "Sample[" + image + ", " + boxCount() + " boxes]";
    }
}
