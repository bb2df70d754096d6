package io.visionplatform.vision.image;

import java.util.Objects;

/**
 * An 8-bit, 3-channel image in OpenCV's memory layout: rows top to bottom, pixels left to right, channels
 * interleaved as blue, green, red (what {@code cv2.imdecode(buf, cv2.IMREAD_COLOR)} returns). Keeping OpenCV's layout
 * lets the bytes be hashed and compared with Ultralytics' recorded {@code decoded_bgr_uint8_sha256}.
 */
public final class BgrImage {

    private final int width;
    private final int height;
    private final byte[] pixels;

    /**
     * Wraps {@code pixels} without copying; the caller hands over ownership and must not modify the array afterwards.
     */
    public BgrImage(int width, int height, byte[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "expected " + (width * height * 3) + " bytes for " + width + "x" + height + " BGR, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing BGR bytes (not a copy, for speed): treat as read-only. */
    public byte[] pixels() {
        return pixels;
    }

    /** Channel {@code c} (0 = blue, 1 = green, 2 = red) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    @Override
    public String toString() {
        return "BgrImage[" + width + "x" + height + "]";
    }
}
