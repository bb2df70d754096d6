package io.visionplatform.vision.image;

/**
 * {@code cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)} for 8-bit 3-channel images, reproduced bit for bit
 * (OpenCV 4.x, no IPP): Ultralytics resizes with it, and a model's input must match to the last grey level for the
 * recorded tensors to hash the same.
 * <p>
 * What OpenCV does, and so what this does: source coordinates use half-pixel centres, {@code (d + 0.5) * scale - 0.5},
 * computed in double and then rounded to float; out-of-range columns clamp to the edge pixel; weights are fixed point
 * with 11 fractional bits ({@code round(w * 2048)}, half to even); the horizontal pass keeps exact integer sums; the
 * vertical pass drops 4 bits from each row sum, keeps the high 16 bits of each product with the weight, and rounds the
 * final 2 bits. An exact 2:1 reduction in both directions is done as a 2x2 box average, as OpenCV switches to its
 * area filter there.
 */
public final class BilinearResize {

    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;

    private BilinearResize() {
    }

    public static BgrImage resize(BgrImage src, int dstWidth, int dstHeight) {
        if (dstWidth <= 0 || dstHeight <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + dstWidth + "x" + dstHeight);
        }
        int sw = src.width();
        int sh = src.height();
        if (sw == dstWidth && sh == dstHeight) {
            return new BgrImage(sw, sh, src.pixels().clone());
        }
        double invScaleX = (double) dstWidth / sw;
        double invScaleY = (double) dstHeight / sh;
        double scaleX = 1.0 / invScaleX;
        double scaleY = 1.0 / invScaleY;
        if (isExactly2(scaleX) && isExactly2(scaleY)) {
            return halve(src, dstWidth, dstHeight);
        }
        return linear(src, dstWidth, dstHeight, scaleX, scaleY);
    }

    private static boolean isExactly2(double scale) {
        return Math.abs(scale - 2.0) < Math.ulp(1.0);
    }

    private static BgrImage linear(BgrImage src, int dw, int dh, double scaleX, double scaleY) {
        int sw = src.width();
        int sh = src.height();
        byte[] in = src.pixels();

        // Per destination column: left source column and its two weights (right weight 0 when clamped).
        int[] xofs = new int[dw];
        short[] alpha = new short[dw * 2];
        for (int dx = 0; dx < dw; dx++) {
            float fx = (float) ((dx + 0.5) * scaleX - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            if (sx < 0) {
                fx = 0;
                sx = 0;
            }
            if (sx >= sw - 1) {
                fx = 0;
                sx = sw - 1;
            }
            xofs[dx] = sx;
            alpha[dx * 2] = fixedPoint(1.f - fx);
            alpha[dx * 2 + 1] = fixedPoint(fx);
        }

        byte[] out = new byte[dw * dh * 3];
        int rowLen = dw * 3;
        int[] row0 = new int[rowLen];
        int[] row1 = new int[rowLen];
        for (int dy = 0; dy < dh; dy++) {
            // Unlike columns, OpenCV keeps the unclamped vertical weights and only clamps the row indices.
            float fy = (float) ((dy + 0.5) * scaleY - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            short b0 = fixedPoint(1.f - fy);
            short b1 = fixedPoint(fy);
            horizontal(in, sw, clamp(sy, sh), xofs, alpha, row0);
            horizontal(in, sw, clamp(sy + 1, sh), xofs, alpha, row1);
            int o = dy * rowLen;
            for (int i = 0; i < rowLen; i++) {
                int v = (((b0 * (row0[i] >> 4)) >> 16) + ((b1 * (row1[i] >> 4)) >> 16) + 2) >> 2;
                out[o + i] = (byte) v;
            }
        }
        return new BgrImage(dw, dh, out);
    }

    private static void horizontal(byte[] in, int sw, int sy, int[] xofs, short[] alpha, int[] dst) {
        int rowBase = sy * sw * 3;
        for (int dx = 0; dx < xofs.length; dx++) {
            int sx = xofs[dx];
            int p = rowBase + sx * 3;
            int d = dx * 3;
            if (sx >= sw - 1) {
                for (int c = 0; c < 3; c++) {
                    dst[d + c] = (in[p + c] & 0xFF) * COEF_SCALE;
                }
            } else {
                int a0 = alpha[dx * 2];
                int a1 = alpha[dx * 2 + 1];
                for (int c = 0; c < 3; c++) {
                    dst[d + c] = (in[p + c] & 0xFF) * a0 + (in[p + 3 + c] & 0xFF) * a1;
                }
            }
        }
    }

    /** OpenCV's {@code saturate_cast<short>(w * 2048)}: round half to even. */
    private static short fixedPoint(float weight) {
        return (short) Math.rint(weight * COEF_SCALE);
    }

    private static int clamp(int i, int size) {
        return i < 0 ? 0 : (i >= size ? size - 1 : i);
    }

    /** OpenCV's fast area path for an exact 2:1 reduction: the rounded mean of each 2x2 block. */
    private static BgrImage halve(BgrImage src, int dw, int dh) {
        int sw = src.width();
        byte[] in = src.pixels();
        byte[] out = new byte[dw * dh * 3];
        int o = 0;
        for (int y = 0; y < dh; y++) {
            int r0 = (2 * y) * sw * 3;
            int r1 = r0 + sw * 3;
            for (int x = 0; x < dw; x++) {
                int p = 2 * x * 3;
                for (int c = 0; c < 3; c++) {
                    int sum = (in[r0 + p + c] & 0xFF) + (in[r0 + p + 3 + c] & 0xFF) + (in[r1 + p + c] & 0xFF)
                            + (in[r1 + p + 3 + c] & 0xFF);
                    out[o++] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        return new BgrImage(dw, dh, out);
    }
}
