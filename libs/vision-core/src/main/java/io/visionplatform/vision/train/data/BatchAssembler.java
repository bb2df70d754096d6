package io.visionplatform.vision.train.data;

import java.util.List;

import io.visionplatform.vision.image.BgrImage;

/** Stacks prepared images into a {@link Batch}: RGB NCHW float32 {@code v / 255}, boxes as normalised target rows. */
final class BatchAssembler {

    /** {@code v / 255f} for each byte value: the same float32 division as Ultralytics' {@code img.float() / 255}. */
    private static final float[] UNIT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT[v] = v / 255f;
        }
    }

    private BatchAssembler() {
    }

    static Batch assemble(List<LabeledImage> images, List<Sample> samples, int height, int width) {
        int plane = height * width;
        float[] tensor = new float[images.size() * 3 * plane];
        int targetCount = 0;
        for (LabeledImage image : images) {
            targetCount += image.boxCount();
        }
        float[] targets = new float[targetCount * Batch.TARGET_FIELDS];
        int t = 0;
        for (int i = 0; i < images.size(); i++) {
            LabeledImage labeled = images.get(i);
            BgrImage img = labeled.image();
            if (img.width() != width || img.height() != height) {
                throw new IllegalStateException("image " + i + " is " + img.width() + "x" + img.height() + ", the batch "
                        + width + "x" + height);
            }
            writePlanes(img.pixels(), tensor, i * 3 * plane, plane);
            float[] xyxy = labeled.xyxy();
            for (int b = 0; b < labeled.boxCount(); b++, t += Batch.TARGET_FIELDS) {
                float x1 = xyxy[b * 4], y1 = xyxy[b * 4 + 1], x2 = xyxy[b * 4 + 2], y2 = xyxy[b * 4 + 3];
                targets[t] = i;
                targets[t + 1] = labeled.classes()[b];
                targets[t + 2] = (x1 + x2) / 2 / width;
                targets[t + 3] = (y1 + y2) / 2 / height;
                targets[t + 4] = (x2 - x1) / width;
                targets[t + 5] = (y2 - y1) / height;
            }
        }
        return new Batch(tensor, images.size(), height, width, targets, targetCount, samples);
    }

    /** BGR interleaved bytes to three planes R, G, B. */
    private static void writePlanes(byte[] bgr, float[] out, int base, int plane) {
        int red = base;
        int green = base + plane;
        int blue = base + 2 * plane;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            out[blue + i] = UNIT[bgr[p] & 0xFF];
            out[green + i] = UNIT[bgr[p + 1] & 0xFF];
            out[red + i] = UNIT[bgr[p + 2] & 0xFF];
        }
    }
}
