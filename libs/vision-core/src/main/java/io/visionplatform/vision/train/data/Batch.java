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

    /**
     * One image's ground truth in input pixels.
     *
     * @param classes the class of each box
     * @param corners 4 floats per box: {@code x1, y1, x2, y2}
     */
    public record ImageBoxes(int[] classes, float[] corners) {

        public int count() {
            return classes.length;
        }
    }

    /** The targets of image {@code image} of this batch, as corners in input pixels. */
    public ImageBoxes boxesOf(int image) {
        int count = 0;
        for (int r = 0; r < targetCount; r++) {
            if ((int) targets[TARGET_FIELDS * r] == image) {
                count++;
            }
        }
        int[] classes = new int[count];
        float[] corners = new float[4 * count];
        int k = 0;
        for (int r = 0; r < targetCount; r++) {
            int row = TARGET_FIELDS * r;
            if ((int) targets[row] != image) {
                continue;
            }
            float cx = targets[row + 2] * width;
            float cy = targets[row + 3] * height;
            float w = targets[row + 4] * width;
            float h = targets[row + 5] * height;
            classes[k] = (int) targets[row + 1];
            corners[4 * k] = cx - w / 2;
            corners[4 * k + 1] = cy - h / 2;
            corners[4 * k + 2] = cx + w / 2;
            corners[4 * k + 3] = cy + h / 2;
            k++;
        }
        return new ImageBoxes(classes, corners);
    }
}
