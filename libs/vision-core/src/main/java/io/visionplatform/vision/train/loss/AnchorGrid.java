package io.visionplatform.vision.train.loss;

/**
 * The anchor points of a detection head for one input size: the centre of every cell of every level, level by level
 * and row-major within a level (the order of the head's output), in grid units and with the level's stride.
 *
 * @param x anchor centre x in grid units of its level
 * @param y anchor centre y in grid units of its level
 * @param stride the stride of the anchor's level
 */
public record AnchorGrid(float[] x, float[] y, float[] stride) {

    public static AnchorGrid of(int height, int width, float[] strides) {
        int total = 0;
        for (float s : strides) {
            total += (int) (height / s) * (int) (width / s);
        }
        float[] x = new float[total];
        float[] y = new float[total];
        float[] st = new float[total];
        int a = 0;
        for (float s : strides) {
            int h = (int) (height / s);
            int w = (int) (width / s);
            for (int row = 0; row < h; row++) {
                for (int col = 0; col < w; col++) {
                    x[a] = col + 0.5f;
                    y[a] = row + 0.5f;
                    st[a] = s;
                    a++;
                }
            }
        }
        return new AnchorGrid(x, y, st);
    }

    public int size() {
        return x.length;
    }
}
