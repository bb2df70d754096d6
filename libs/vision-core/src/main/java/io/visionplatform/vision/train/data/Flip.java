package io.visionplatform.vision.train.data;

import io.visionplatform.vision.image.BgrImage;

/** Ultralytics' {@code RandomFlip}, the image and its boxes mirrored left-right or up-down. */
final class Flip {

    private Flip() {
    }

    static LabeledImage leftRight(LabeledImage in) {
        BgrImage img = in.image();
        int w = img.width();
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < img.height(); y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int s = row + x * 3;
                int d = row + (w - 1 - x) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        float[] xyxy = in.xyxy().clone();
        for (int i = 0; i < xyxy.length; i += 4) {
            float x1 = xyxy[i];
            xyxy[i] = w - xyxy[i + 2];
            xyxy[i + 2] = w - x1;
        }
        return new LabeledImage(new BgrImage(w, img.height(), out), in.classes(), xyxy);
    }

    static LabeledImage upDown(LabeledImage in) {
        BgrImage img = in.image();
        int h = img.height();
        int rowBytes = img.width() * 3;
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, y * rowBytes, out, (h - 1 - y) * rowBytes, rowBytes);
        }
        float[] xyxy = in.xyxy().clone();
        for (int i = 0; i < xyxy.length; i += 4) {
            float y1 = xyxy[i + 1];
            xyxy[i + 1] = h - xyxy[i + 3];
            xyxy[i + 3] = h - y1;
        }
        return new LabeledImage(new BgrImage(img.width(), h, out), in.classes(), xyxy);
    }
}
