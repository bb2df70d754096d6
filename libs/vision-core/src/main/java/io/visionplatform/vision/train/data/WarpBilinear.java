package io.visionplatform.vision.train.data;

import io.visionplatform.vision.image.BgrImage;

/**
 * {@code cv2.warpAffine} and {@code cv2.warpPerspective} with {@code INTER_LINEAR} and {@code BORDER_CONSTANT} for
 * 8-bit BGR images, in OpenCV's (4.x, before the 4.11 rewrite) fixed-point arithmetic: each output pixel maps back to a
 * source position in 1/32 pixel steps ({@code INTER_BITS = 5}; affine coordinates are accumulated with 10 fractional
 * bits and rounded), and the four neighbours are blended with 15-bit integer weights; neighbours outside the source
 * take the border value, and a position with no neighbour inside is the border value.
 */
final class WarpBilinear {

    private static final int INTER_BITS = 5;
    private static final int INTER_TAB_SIZE = 1 << INTER_BITS;
    private static final int AB_BITS = 10;
    private static final int AB_SCALE = 1 << AB_BITS;
    private static final int COEF_BITS = 15;
    /** Bilinear weights per 1/32 sub-pixel offset; exact in 15 bits because 32 * 32 divides 32768. */
    private static final int[] WEIGHTS = new int[INTER_TAB_SIZE * INTER_TAB_SIZE * 4];

    static {
        for (int ty = 0; ty < INTER_TAB_SIZE; ty++) {
            for (int tx = 0; tx < INTER_TAB_SIZE; tx++) {
                int o = (ty * INTER_TAB_SIZE + tx) * 4;
                int scale = (1 << COEF_BITS) / (INTER_TAB_SIZE * INTER_TAB_SIZE);
                WEIGHTS[o] = (INTER_TAB_SIZE - ty) * (INTER_TAB_SIZE - tx) * scale;
                WEIGHTS[o + 1] = (INTER_TAB_SIZE - ty) * tx * scale;
                WEIGHTS[o + 2] = ty * (INTER_TAB_SIZE - tx) * scale;
                WEIGHTS[o + 3] = ty * tx * scale;
            }
        }
    }

    private WarpBilinear() {
    }

    /**
     * Warps {@code src} by the forward affine map {@code m} (row-major 2x3 or the top of a 3x3: dst = M * src) into a
     * {@code width x height} image.
     */
    static BgrImage affine(BgrImage src, double[] m, int width, int height, int border) {
        // Invert the 2x3 map as OpenCV does, so each output pixel can look up its source.
        double det = m[0] * m[4] - m[1] * m[3];
        double d = det != 0 ? 1.0 / det : 0;
        double a11 = m[4] * d, a12 = -m[1] * d, a21 = -m[3] * d, a22 = m[0] * d;
        double b1 = -a11 * m[2] - a12 * m[5];
        double b2 = -a21 * m[2] - a22 * m[5];

        int[] adelta = new int[width];
        int[] bdelta = new int[width];
        for (int x = 0; x < width; x++) {
            adelta[x] = (int) Math.rint(a11 * x * AB_SCALE);
            bdelta[x] = (int) Math.rint(a21 * x * AB_SCALE);
        }
        int roundDelta = AB_SCALE / INTER_TAB_SIZE / 2;
        byte[] out = new byte[width * height * 3];
        Sampler sampler = new Sampler(src, border);
        for (int y = 0; y < height; y++) {
            int x0 = (int) Math.rint((a12 * y + b1) * AB_SCALE) + roundDelta;
            int y0 = (int) Math.rint((a22 * y + b2) * AB_SCALE) + roundDelta;
            int o = y * width * 3;
            for (int x = 0; x < width; x++, o += 3) {
                int sx = (x0 + adelta[x]) >> (AB_BITS - INTER_BITS);
                int sy = (y0 + bdelta[x]) >> (AB_BITS - INTER_BITS);
                sampler.sample(sx, sy, out, o);
            }
        }
        return new BgrImage(width, height, out);
    }

    /** Warps {@code src} by the forward projective map {@code m} (row-major 3x3) into a {@code width x height} image. */
    static BgrImage perspective(BgrImage src, double[] m, int width, int height, int border) {
        double[] inv = invert3x3(m);
        byte[] out = new byte[width * height * 3];
        Sampler sampler = new Sampler(src, border);
        for (int y = 0; y < height; y++) {
            int o = y * width * 3;
            for (int x = 0; x < width; x++, o += 3) {
                double w = inv[6] * x + inv[7] * y + inv[8];
                w = w != 0 ? INTER_TAB_SIZE / w : 0;
                double fx = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (inv[0] * x + inv[1] * y + inv[2]) * w));
                double fy = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (inv[3] * x + inv[4] * y + inv[5]) * w));
                sampler.sample((int) Math.rint(fx), (int) Math.rint(fy), out, o);
            }
        }
        return new BgrImage(width, height, out);
    }

    static double[] invert3x3(double[] m) {
        double c00 = m[4] * m[8] - m[5] * m[7];
        double c01 = m[5] * m[6] - m[3] * m[8];
        double c02 = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        if (det == 0) {
            return new double[9];
        }
        double id = 1.0 / det;
        return new double[] {
                c00 * id, (m[2] * m[7] - m[1] * m[8]) * id, (m[1] * m[5] - m[2] * m[4]) * id,
                c01 * id, (m[0] * m[8] - m[2] * m[6]) * id, (m[2] * m[3] - m[0] * m[5]) * id,
                c02 * id, (m[1] * m[6] - m[0] * m[7]) * id, (m[0] * m[4] - m[1] * m[3]) * id };
    }

    /** Reads the source at a position given in 1/32 pixels, OpenCV's remap with a constant border. */
    private static final class Sampler {
        private final byte[] px;
        private final int w;
        private final int h;
        private final int border;

        Sampler(BgrImage src, int border) {
            this.px = src.pixels();
            this.w = src.width();
            this.h = src.height();
            this.border = border;
        }

        void sample(int fixedX, int fixedY, byte[] out, int o) {
            int sx = clampShort(fixedX >> INTER_BITS);
            int sy = clampShort(fixedY >> INTER_BITS);
            int wo = (((fixedY & (INTER_TAB_SIZE - 1)) * INTER_TAB_SIZE) + (fixedX & (INTER_TAB_SIZE - 1))) * 4;
            int w0 = WEIGHTS[wo], w1 = WEIGHTS[wo + 1], w2 = WEIGHTS[wo + 2], w3 = WEIGHTS[wo + 3];
            if (sx >= 0 && sx < w - 1 && sy >= 0 && sy < h - 1) {
                int p = (sy * w + sx) * 3;
                int q = p + w * 3;
                for (int c = 0; c < 3; c++) {
                    int v = (px[p + c] & 0xFF) * w0 + (px[p + 3 + c] & 0xFF) * w1 + (px[q + c] & 0xFF) * w2
                            + (px[q + 3 + c] & 0xFF) * w3;
                    out[o + c] = (byte) ((v + (1 << (COEF_BITS - 1))) >> COEF_BITS);
                }
                return;
            }
            if (sx >= w || sx + 1 < 0 || sy >= h || sy + 1 < 0) {
                out[o] = out[o + 1] = out[o + 2] = (byte) border;
                return;
            }
            boolean x0In = sx >= 0, x1In = sx + 1 < w, y0In = sy >= 0, y1In = sy + 1 < h;
            for (int c = 0; c < 3; c++) {
                int v00 = x0In && y0In ? px[(sy * w + sx) * 3 + c] & 0xFF : border;
                int v01 = x1In && y0In ? px[(sy * w + sx + 1) * 3 + c] & 0xFF : border;
                int v10 = x0In && y1In ? px[((sy + 1) * w + sx) * 3 + c] & 0xFF : border;
                int v11 = x1In && y1In ? px[((sy + 1) * w + sx + 1) * 3 + c] & 0xFF : border;
                int v = v00 * w0 + v01 * w1 + v10 * w2 + v11 * w3;
                out[o + c] = (byte) ((v + (1 << (COEF_BITS - 1))) >> COEF_BITS);
            }
        }

        private static int clampShort(int v) {
            return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
    }
}
