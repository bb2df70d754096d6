package io.visionplatform.vision.image;

/** Turns a BGR uint8 image into the tensor Ultralytics feeds its models. */
public final class ImageTensor {

    private ImageTensor() {
    }

    /**
     * NCHW (batch 1) float32: channel 0 red, 1 green, 2 blue, each value {@code v / 255f}. A float32 division, like
     * the reference's {@code im.float() / 255}, so the tensor matches it bit for bit.
     */
    public static float[] toNchwRgb(BgrImage image) {
        int plane = image.width() * image.height();
        byte[] bgr = image.pixels();
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = i * 3;
            out[i] = (bgr[p + 2] & 0xFF) / 255f;
            out[plane + i] = (bgr[p + 1] & 0xFF) / 255f;
            out[2 * plane + i] = (bgr[p] & 0xFF) / 255f;
        }
        return out;
    }
}
