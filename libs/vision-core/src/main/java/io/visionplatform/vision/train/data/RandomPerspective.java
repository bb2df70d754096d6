package io.visionplatform.vision.train.data;

import java.util.SplittableRandom;

import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.Letterbox;

/**
 * Ultralytics' {@code RandomPerspective}: a random map {@code M = T * S * R * P * C} (centre the image, perspective,
 * rotation and scale, shear, translation to a random point near the output centre) applied to the image with bilinear
 * interpolation and grey borders, and to the boxes' four corners, which become the enclosing axis-aligned boxes,
 * clipped to the output. Boxes that shrank too much or became slivers are dropped ({@code box_candidates}).
 */
final class RandomPerspective {

    /** {@code box_candidates} thresholds for boxes (segments use a lower area ratio): 2 px, 10 % of the area, 100:1. */
    private static final float MIN_SIDE = 2;
    private static final float MIN_AREA_RATIO = 0.1f;
    private static final float MAX_ASPECT = 100;
    private static final float EPS = 1e-16f;

    private RandomPerspective() {
    }

    /**
     * @param border added on each side of the input to get the output size: {@code -s/2} for a {@code 2s} mosaic
     *        (output {@code s}), 0 for a letterboxed image
     */
    static LabeledImage apply(LabeledImage in, int border, AugmentConfig aug, SplittableRandom random) {
        BgrImage img = in.image();
        int outW = img.width() + 2 * border;
        int outH = img.height() + 2 * border;

        // The draws in Ultralytics' order: perspective x/y, angle, scale, shear x/y, translation x/y.
        double px = uniform(random, -aug.perspective(), aug.perspective());
        double py = uniform(random, -aug.perspective(), aug.perspective());
        double angle = uniform(random, -aug.degrees(), aug.degrees());
        double scale = uniform(random, 1 - aug.scale(), 1 + aug.scale());
        double shearX = Math.tan(Math.toRadians(uniform(random, -aug.shear(), aug.shear())));
        double shearY = Math.tan(Math.toRadians(uniform(random, -aug.shear(), aug.shear())));
        double tx = uniform(random, 0.5 - aug.translate(), 0.5 + aug.translate()) * outW;
        double ty = uniform(random, 0.5 - aug.translate(), 0.5 + aug.translate()) * outH;

        double[] c = { 1, 0, -img.width() / 2.0, 0, 1, -img.height() / 2.0, 0, 0, 1 };
        double[] p = { 1, 0, 0, 0, 1, 0, px, py, 1 };
        // cv2.getRotationMatrix2D(angle, centre (0, 0), scale): counter-clockwise for positive angles.
        double cos = scale * Math.cos(Math.toRadians(angle));
        double sin = scale * Math.sin(Math.toRadians(angle));
        double[] r = { cos, sin, 0, -sin, cos, 0, 0, 0, 1 };
        double[] s = { 1, shearX, 0, shearY, 1, 0, 0, 0, 1 };
        double[] t = { 1, 0, tx, 0, 1, ty, 0, 0, 1 };
        double[] m = multiply(t, multiply(s, multiply(r, multiply(p, c))));

        boolean projective = aug.perspective() != 0;
        BgrImage warped = img;
        if (border != 0 || !isIdentity(m)) {
            warped = projective
                    ? WarpBilinear.perspective(img, m, outW, outH, Letterbox.PAD_VALUE)
                    : WarpBilinear.affine(img, m, outW, outH, Letterbox.PAD_VALUE);
        }
        return transformBoxes(in, warped, m, projective, (float) scale, outW, outH);
    }

    private static LabeledImage transformBoxes(LabeledImage in, BgrImage warped, double[] m, boolean projective,
            float scale, int outW, int outH) {
        int n = in.boxCount();
        float[] src = in.xyxy();
        float[] dst = new float[n * 4];
        boolean[] keep = new boolean[n];
        float[] cornerX = new float[4];
        float[] cornerY = new float[4];
        for (int i = 0; i < n; i++) {
            float x1 = src[i * 4], y1 = src[i * 4 + 1], x2 = src[i * 4 + 2], y2 = src[i * 4 + 3];
            project(m, projective, x1, y1, cornerX, cornerY, 0);
            project(m, projective, x2, y2, cornerX, cornerY, 1);
            project(m, projective, x1, y2, cornerX, cornerY, 2);
            project(m, projective, x2, y1, cornerX, cornerY, 3);
            float nx1 = clip(min(cornerX), outW), ny1 = clip(min(cornerY), outH);
            float nx2 = clip(max(cornerX), outW), ny2 = clip(max(cornerY), outH);
            dst[i * 4] = nx1;
            dst[i * 4 + 1] = ny1;
            dst[i * 4 + 2] = nx2;
            dst[i * 4 + 3] = ny2;
            keep[i] = isCandidate((x2 - x1) * scale, (y2 - y1) * scale, nx2 - nx1, ny2 - ny1);
        }
        return in.retain(keep, warped, dst);
    }

    /** Ultralytics' {@code box_candidates}: w, h > 2 px, more than 10 % of the scaled original area, aspect < 100. */
    static boolean isCandidate(float w1, float h1, float w2, float h2) {
        float aspect = Math.max(w2 / (h2 + EPS), h2 / (w2 + EPS));
        return w2 > MIN_SIDE && h2 > MIN_SIDE && w2 * h2 / (w1 * h1 + EPS) > MIN_AREA_RATIO && aspect < MAX_ASPECT;
    }

    private static void project(double[] m, boolean projective, float x, float y, float[] ox, float[] oy, int k) {
        double u = m[0] * x + m[1] * y + m[2];
        double v = m[3] * x + m[4] * y + m[5];
        if (projective) {
            double w = m[6] * x + m[7] * y + m[8];
            u /= w;
            v /= w;
        }
        ox[k] = (float) u;
        oy[k] = (float) v;
    }

    /** Python's {@code random.uniform(a, b)}: {@code a + (b - a) * random()}. */
    static double uniform(SplittableRandom random, double a, double b) {
        return a + (b - a) * random.nextDouble();
    }

    static double[] multiply(double[] a, double[] b) {
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            }
        }
        return out;
    }

    private static boolean isIdentity(double[] m) {
        return m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 0 && m[4] == 1 && m[5] == 0 && m[6] == 0 && m[7] == 0
                && m[8] == 1;
    }

    private static float clip(float v, int max) {
        return Math.min(Math.max(v, 0f), max);
    }

    private static float min(float[] v) {
        return Math.min(Math.min(v[0], v[1]), Math.min(v[2], v[3]));
    }

    private static float max(float[] v) {
        return Math.max(Math.max(v[0], v[1]), Math.max(v[2], v[3]));
    }
}
