package io.visionplatform.vision.metrics;

/**
 * Intersection over union of axis-aligned boxes given as corners {@code {x1, y1, x2, y2}}, computed like Ultralytics'
 * {@code box_iou}: float32 arithmetic, {@code inter / (area1 + area2 - inter + 1e-7)}, intersection sides clamped at 0.
 */
public final class BoxIou {

    /** The {@code eps} Ultralytics adds to the union. */
    public static final float EPS = 1e-7f;

    private BoxIou() {
    }

    /** IoU of two boxes {@code {x1, y1, x2, y2}}. */
    public static float iou(float[] a, float[] b) {
        float w = Math.max(0f, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        float h = Math.max(0f, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        float inter = w * h;
        float areaA = (a[2] - a[0]) * (a[3] - a[1]);
        float areaB = (b[2] - b[0]) * (b[3] - b[1]);
        return inter / (areaA + areaB - inter + EPS);
    }

    /**
     * The IoU matrix {@code [boxes1.length][boxes2.length]}; Ultralytics' validator calls it with the ground truth as
     * {@code boxes1} and the predictions as {@code boxes2}.
     */
    public static float[][] matrix(float[][] boxes1, float[][] boxes2) {
        float[][] m = new float[boxes1.length][boxes2.length];
        for (int i = 0; i < boxes1.length; i++) {
            checkBox(boxes1[i], "boxes1", i);
            for (int j = 0; j < boxes2.length; j++) {
                if (i == 0) {
                    checkBox(boxes2[j], "boxes2", j);
                }
                m[i][j] = iou(boxes1[i], boxes2[j]);
            }
        }
        return m;
    }

    static void checkBox(float[] box, String what, int index) {
        if (box == null || box.length != 4) {
            throw new IllegalArgumentException(what + "[" + index + "] must be {x1, y1, x2, y2}");
        }
    }
}
