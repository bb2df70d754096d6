package io.visionplatform.vision.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.Letterbox;

/**
 * Ultralytics' 4-image mosaic: a {@code 2s x 2s} canvas filled with grey 114, the four images placed around the centre
 * {@code (xc, yc)} as top-left, top-right, bottom-left and bottom-right tiles (each cut where it would leave the
 * canvas), their boxes shifted with them, clipped to the canvas, and zero-area boxes dropped.
 */
final class Mosaic {

    private Mosaic() {
    }

    /**
     * @param tiles four images with boxes in their own pixels; tile 0 is the sample the mosaic is for
     * @param s the training image size (the canvas is {@code 2s x 2s})
     * @param xc mosaic centre x, in {@code [s/2, 3s/2)}
     * @param yc mosaic centre y, in {@code [s/2, 3s/2)}
     */
    static LabeledImage combine(LabeledImage[] tiles, int s, int xc, int yc) {
        int size = 2 * s;
        byte[] canvas = new byte[size * size * 3];
        Arrays.fill(canvas, (byte) Letterbox.PAD_VALUE);
        List<float[]> classes = new ArrayList<>();
        List<float[]> corners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BgrImage img = tiles[i].image();
            int w = img.width();
            int h = img.height();
            int x1a, y1a, x2a, y2a, x1b, y1b;
            switch (i) {
                case 0 -> { // top left: the tile's bottom-right corner at the centre
                    x1a = Math.max(xc - w, 0);
                    y1a = Math.max(yc - h, 0);
                    x2a = xc;
                    y2a = yc;
                    x1b = w - (x2a - x1a);
                    y1b = h - (y2a - y1a);
                }
                case 1 -> { // top right
                    x1a = xc;
                    y1a = Math.max(yc - h, 0);
                    x2a = Math.min(xc + w, size);
                    y2a = yc;
                    x1b = 0;
                    y1b = h - (y2a - y1a);
                }
                case 2 -> { // bottom left
                    x1a = Math.max(xc - w, 0);
                    y1a = yc;
                    x2a = xc;
                    y2a = Math.min(size, yc + h);
                    x1b = w - (x2a - x1a);
                    y1b = 0;
                }
                default -> { // bottom right
                    x1a = xc;
                    y1a = yc;
                    x2a = Math.min(xc + w, size);
                    y2a = Math.min(size, yc + h);
                    x1b = 0;
                    y1b = 0;
                }
            }
            copyRegion(img, x1b, y1b, canvas, size, x1a, y1a, x2a - x1a, y2a - y1a);
            float padW = x1a - x1b;
            float padH = y1a - y1b;
            float[] xyxy = tiles[i].xyxy().clone();
            for (int k = 0; k < xyxy.length; k += 2) {
                xyxy[k] += padW;
                xyxy[k + 1] += padH;
            }
            classes.add(tiles[i].classes());
            corners.add(xyxy);
        }
        return clipAndDropEmpty(new BgrImage(size, size, canvas), concat(classes), concat(corners), size);
    }

    private static void copyRegion(BgrImage src, int sx, int sy, byte[] dst, int dstWidth, int dx, int dy, int w, int h) {
        if (w <= 0 || h <= 0) {
            return;
        }
        byte[] in = src.pixels();
        int rowBytes = w * 3;
        for (int r = 0; r < h; r++) {
            System.arraycopy(in, ((sy + r) * src.width() + sx) * 3, dst, ((dy + r) * dstWidth + dx) * 3, rowBytes);
        }
    }

    /** Ultralytics' {@code Instances.clip} to the canvas, then {@code remove_zero_area_boxes}. */
    private static LabeledImage clipAndDropEmpty(BgrImage canvas, float[] classes, float[] xyxy, int size) {
        boolean[] keep = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            for (int k = 0; k < 4; k++) {
                xyxy[i * 4 + k] = Math.min(Math.max(xyxy[i * 4 + k], 0f), size);
            }
            keep[i] = (xyxy[i * 4 + 2] - xyxy[i * 4]) * (xyxy[i * 4 + 3] - xyxy[i * 4 + 1]) > 0;
        }
        return new LabeledImage(canvas, classes, xyxy).retain(keep, canvas, xyxy);
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
