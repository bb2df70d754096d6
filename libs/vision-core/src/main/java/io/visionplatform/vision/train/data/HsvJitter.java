package io.visionplatform.vision.train.data;

import java.util.SplittableRandom;

/**
 * Ultralytics' {@code RandomHSV} (8.3.79 and later): random gains {@code r = uniform(-1, 1) * (hgain, sgain, vgain)};
 * lookup tables shift hue by {@code r_h * 180} (mod 180) and scale saturation and value by {@code 1 + r}, clipped to
 * 255, with saturation 0 kept at 0 so grey stays grey; applied in OpenCV's 8-bit HSV (H 0..179, S and V 0..255), with
 * OpenCV's own {@code BGR2HSV} integer arithmetic and float {@code HSV2BGR}, in place.
 */
final class HsvJitter {

    private static final int SHIFT = 12;
    private static final int[] SAT_DIV = new int[256];
    private static final int[] HUE_DIV = new int[256];
    private static final float HUE_SCALE = 6f / 180f;
    private static final float INV_255 = 1f / 255f;

    static {
        for (int i = 1; i < 256; i++) {
            SAT_DIV[i] = (int) Math.rint((255 << SHIFT) / (double) i);
            HUE_DIV[i] = (int) Math.rint((180 << SHIFT) / (6.0 * i));
        }
    }

    private HsvJitter() {
    }

    /** Draws the three gains (only when some gain is non-zero, as Ultralytics) and jitters {@code bgr} in place. */
    static void apply(byte[] bgr, AugmentConfig aug, SplittableRandom random) {
        if (aug.hsvH() == 0 && aug.hsvS() == 0 && aug.hsvV() == 0) {
            return;
        }
        double rh = RandomPerspective.uniform(random, -1, 1) * aug.hsvH();
        double rs = RandomPerspective.uniform(random, -1, 1) * aug.hsvS();
        double rv = RandomPerspective.uniform(random, -1, 1) * aug.hsvV();
        apply(bgr, rh, rs, rv);
    }

    static void apply(byte[] bgr, double rh, double rs, double rv) {
        int[] lutH = new int[256];
        int[] lutS = new int[256];
        int[] lutV = new int[256];
        for (int x = 0; x < 256; x++) {
            double hue = (x + rh * 180) % 180;
            lutH[x] = (int) (hue < 0 ? hue + 180 : hue);
            lutS[x] = (int) Math.min(Math.max(x * (rs + 1), 0), 255);
            lutV[x] = (int) Math.min(Math.max(x * (rv + 1), 0), 255);
        }
        lutS[0] = 0;
        for (int p = 0; p < bgr.length; p += 3) {
            int b = bgr[p] & 0xFF, g = bgr[p + 1] & 0xFF, r = bgr[p + 2] & 0xFF;
            // OpenCV RGB2HSV_b
            int v = Math.max(b, Math.max(g, r));
            int diff = v - Math.min(b, Math.min(g, r));
            int s = (diff * SAT_DIV[v] + (1 << (SHIFT - 1))) >> SHIFT;
            int h;
            if (v == r) {
                h = g - b;
            } else if (v == g) {
                h = b - r + 2 * diff;
            } else {
                h = r - g + 4 * diff;
            }
            h = (h * HUE_DIV[diff] + (1 << (SHIFT - 1))) >> SHIFT;
            if (h < 0) {
                h += 180;
            }
            toBgr(lutH[h], lutS[s], lutV[v], bgr, p);
        }
    }

    /** OpenCV HSV2RGB for 8-bit input: to float, the sector formula, back with rounding. */
    private static void toBgr(int h8, int s8, int v8, byte[] out, int p) {
        float v = v8 * INV_255;
        float s = s8 * INV_255;
        float b, g, r;
        if (s == 0) {
            b = g = r = v;
        } else {
            float h = h8 * HUE_SCALE;
            h = h % 6f;
            if (h < 0) {
                h += 6;
            }
            int sector = (int) Math.floor(h);
            h -= sector;
            if (sector < 0 || sector >= 6) {
                sector = 0;
                h = 0;
            }
            float pv = v * (1f - s); // OpenCV's tab[1..3]; tab[0] is v
            float qv = v * (1f - s * h);
            float tv = v * (1f - s * (1f - h));
            switch (sector) {
                case 0 -> {
                    b = pv;
                    g = tv;
                    r = v;
                }
                case 1 -> {
                    b = pv;
                    g = v;
                    r = qv;
                }
                case 2 -> {
                    b = tv;
                    g = v;
                    r = pv;
                }
                case 3 -> {
                    b = v;
                    g = qv;
                    r = pv;
                }
                case 4 -> {
                    b = v;
                    g = pv;
                    r = tv;
                }
                default -> {
                    b = qv;
                    g = pv;
                    r = v;
                }
            }
        }
        out[p] = toByte(b * 255f);
        out[p + 1] = toByte(g * 255f);
        out[p + 2] = toByte(r * 255f);
    }

    private static byte toByte(float v) {
        int i = (int) Math.rint(v);
        return (byte) Math.max(0, Math.min(255, i));
    }
}
