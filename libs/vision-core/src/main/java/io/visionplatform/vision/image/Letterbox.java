package io.visionplatform.vision.image;

import java.util.Arrays;

/**
 * Ultralytics' {@code LetterBox} (centre, scale-up allowed): scale the image by {@code r = min(th / h, tw / w)} to
 * {@code (round(w * r), round(h * r))}, resize with OpenCV-exact bilinear interpolation, and pad with grey 114 split
 * as {@code top = round(dh - 0.1)}, {@code bottom = round(dh + 0.1)} (likewise left/right), all rounding Python's
 * (half to even).
 * <ul>
 * <li>{@link #full}: pads to exactly the target size, the input of a fixed-shape ONNX export.</li>
 * <li>{@link #minimal}: pads only up to the next multiple of the stride ({@code rect} inference of PyTorch and
 * dynamic-shape models), e.g. 320x120 at 192 with stride 32 becomes a 192x96 input.</li>
 * </ul>
 */
public final class Letterbox {

    public static final int PAD_VALUE = 114;

    private final int targetHeight;
    private final int targetWidth;
    private final int stride;

    private Letterbox(int targetHeight, int targetWidth, int stride) {
        if (targetHeight <= 0 || targetWidth <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + targetWidth + "x" + targetHeight);
        }
        this.targetHeight = targetHeight;
        this.targetWidth = targetWidth;
        this.stride = stride;
    }

    /** Pads to exactly {@code targetWidth x targetHeight}. */
    public static Letterbox full(int targetHeight, int targetWidth) {
        return new Letterbox(targetHeight, targetWidth, 0);
    }

    /** Pads only up to a multiple of {@code stride} (Ultralytics {@code auto=True}). */
    public static Letterbox minimal(int targetHeight, int targetWidth, int stride) {
        if (stride <= 0) {
            throw new IllegalArgumentException("stride must be positive, got " + stride);
        }
        return new Letterbox(targetHeight, targetWidth, stride);
    }

    public int targetHeight() {
        return targetHeight;
    }

    public int targetWidth() {
        return targetWidth;
    }

    public boolean isMinimal() {
        return stride > 0;
    }

    /** The geometry for an image of the given size, without touching pixels. */
    public LetterboxInfo plan(int imageWidth, int imageHeight) {
        double r = Math.min((double) targetHeight / imageHeight, (double) targetWidth / imageWidth);
        int newW = (int) Math.rint(imageWidth * r);
        int newH = (int) Math.rint(imageHeight * r);
        int dw = targetWidth - newW;
        int dh = targetHeight - newH;
        if (isMinimal()) {
            dw = Math.floorMod(dw, stride);
            dh = Math.floorMod(dh, stride);
        }
        double halfW = dw / 2.0;
        double halfH = dh / 2.0;
        int top = (int) Math.rint(halfH - 0.1);
        int bottom = (int) Math.rint(halfH + 0.1);
        int left = (int) Math.rint(halfW - 0.1);
        int right = (int) Math.rint(halfW + 0.1);
        return new LetterboxInfo(imageWidth, imageHeight, r, newW, newH, left, top, right, bottom,
                newW + left + right, newH + top + bottom);
    }

    public LetterboxedImage apply(BgrImage image) {
        LetterboxInfo info = plan(image.width(), image.height());
        BgrImage resized = image.width() == info.unpaddedWidth() && image.height() == info.unpaddedHeight()
                ? image
                : BilinearResize.resize(image, info.unpaddedWidth(), info.unpaddedHeight());
        return new LetterboxedImage(pad(resized, info), info);
    }

    private static BgrImage pad(BgrImage src, LetterboxInfo info) {
        int ow = info.inputWidth();
        int oh = info.inputHeight();
        byte[] out = new byte[ow * oh * 3];
        Arrays.fill(out, (byte) PAD_VALUE);
        int rowBytes = src.width() * 3;
        for (int y = 0; y < src.height(); y++) {
            System.arraycopy(src.pixels(), y * rowBytes, out, ((y + info.padTop()) * ow + info.padLeft()) * 3, rowBytes);
        }
        return new BgrImage(ow, oh, out);
    }
}
