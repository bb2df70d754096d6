package io.visionplatform.vision.train.data;

import java.util.List;

/**
 * A batch of network inputs and their targets, in the layout Ultralytics' collate function produces.
 *
 * @param images NCHW float32, RGB, values {@code uint8 / 255}: {@code size * 3 * height * width} floats
 * @param size the number of images (the last batch of an epoch may be short)
 * @param targets {@code targetCount} rows of 6 floats {@code (imageIndexInBatch, cls, cx, cy, w, h)}, coordinates
 *        normalised to {@code width} and {@code height}
 * @param samples the sample each image came from (for a mosaic, the sample that started it)
 */
public record Batch(float[] images, int size, int height, int width, float[] targets, int targetCount,
        List<Sample> samples) {

    public static final int TARGET_FIELDS = 6;

    public Batch {
        if (images.length != size * 3 * height * width) {
            throw new IllegalArgumentException("images hold " + images.length + " floats, expected " + size + "x3x"
                    + height + "x" + width);
        }
        if (targets.length != targetCount * TARGET_FIELDS) {
            throw new IllegalArgumentException("targets hold " + targets.length + " floats for " + targetCount + " rows");
        }
        samples = List.copyOf(samples);
    }
}
