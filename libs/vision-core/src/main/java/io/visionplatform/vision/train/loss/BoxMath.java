package io.visionplatform.vision.train.loss;

/** Box overlap measures on single boxes (x1, y1, x2, y2), as Ultralytics' {@code bbox_iou} computes them. */
final class BoxMath {

    private static final float EPS = 1e-7f;
    private static final double FOUR_OVER_PI_SQUARED = 4.0 / (Math.PI * Math.PI);

    private BoxMath() {
    }

    /** Complete IoU: IoU minus the normalised centre distance and the aspect-ratio consistency term. */
    static float ciou(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2, float by2) {
        float w1 = ax2 - ax1;
        float h1 = ay2 - ay1 + EPS;
        float w2 = bx2 - bx1;
        float h2 = by2 - by1 + EPS;
        float iw = Math.max(0f, Math.min(ax2, bx2) - Math.max(ax1, bx1));
        float ih = Math.max(0f, Math.min(ay2, by2) - Math.max(ay1, by1));
        float inter = iw * ih;
        float union = w1 * h1 + w2 * h2 - inter + EPS;
        float iou = inter / union;
        float cw = Math.max(ax2, bx2) - Math.min(ax1, bx1);
        float ch = Math.max(ay2, by2) - Math.min(ay1, by1);
        float c2 = cw * cw + ch * ch + EPS;
        float dx = bx1 + bx2 - ax1 - ax2;
        float dy = by1 + by2 - ay1 - ay2;
        float rho2 = (dx * dx + dy * dy) / 4f;
        double dv = Math.atan(w2 / h2) - Math.atan(w1 / h1);
        float v = (float) (FOUR_OVER_PI_SQUARED * dv * dv);
        float alpha = v / (v - iou + (1 + EPS));
        return iou - (rho2 / c2 + v * alpha);
    }
}
