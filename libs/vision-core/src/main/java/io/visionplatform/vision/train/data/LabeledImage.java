package io.visionplatform.vision.train.data;

import io.visionplatform.vision.image.BgrImage;

/**
 * An image being augmented and its boxes in that image's pixels: {@code classes[i]} and corners
 * {@code xyxy[4i..4i+3] = (x1, y1, x2, y2)}. Float32 like Ultralytics' {@code Instances}.
 */
record LabeledImage(BgrImage image, float[] classes, float[] xyxy) {

    LabeledImage {
        if (xyxy.length != classes.length * 4) {
            throw new IllegalArgumentException(classes.length + " classes but " + xyxy.length + " corner values");
        }
    }

    int boxCount() {
        return classes.length;
    }

    /**
     * {@code image} with the boxes of {@code sample} (normalised {@code cx cy w h}) in its pixels, where the whole
     * original image appears at {@code width x height} pixels with its top-left corner at {@code (padX, padY)}.
     */
    static LabeledImage of(BgrImage image, Sample sample, float width, float height, float padX, float padY) {
        int n = sample.boxCount();
        float[] b = sample.boxes();
        float[] classes = new float[n];
        float[] xyxy = new float[n * 4];
        for (int i = 0; i < n; i++) {
            int s = i * Sample.FIELDS_PER_BOX;
            classes[i] = b[s];
            float cx = b[s + 1], cy = b[s + 2], w = b[s + 3], h = b[s + 4];
            xyxy[i * 4] = (cx - w / 2) * width + padX;
            xyxy[i * 4 + 1] = (cy - h / 2) * height + padY;
            xyxy[i * 4 + 2] = (cx + w / 2) * width + padX;
            xyxy[i * 4 + 3] = (cy + h / 2) * height + padY;
        }
        return new LabeledImage(image, classes, xyxy);
    }

    /** Only the boxes whose {@code keep} flag is set. */
    LabeledImage retain(boolean[] keep, BgrImage newImage, float[] newXyxy) {
        int count = 0;
        for (boolean k : keep) {
            count += k ? 1 : 0;
        }
        float[] c = new float[count];
        float[] x = new float[count * 4];
        int o = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                c[o] = classes[i];
                System.arraycopy(newXyxy, i * 4, x, o * 4, 4);
                o++;
            }
        }
        return new LabeledImage(newImage, c, x);
    }
}
