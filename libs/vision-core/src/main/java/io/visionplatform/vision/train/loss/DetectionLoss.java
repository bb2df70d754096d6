package io.visionplatform.vision.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.visionplatform.vision.train.data.Batch;

/**
 * Ultralytics' detection loss ({@code v8DetectionLoss}): targets from the {@link TaskAlignedAssigner}, then
 * <ul>
 * <li>class: binary cross-entropy with logits against the normalised alignment scores, summed and divided by the sum
 * of target scores;</li>
 * <li>box: {@code 1 - CIoU} of decoded boxes against assigned boxes, weighted by each anchor's target score;</li>
 * <li>DFL: cross-entropy of the distance distributions against the two bins around each target distance;</li>
 * </ul>
 * scaled by the gains box 7.5, cls 0.5, dfl 1.5. Box and DFL terms are computed densely over all anchors with zero
 * weight on the background (whose target is a harmless unit box), which avoids gathers and keeps one graph shape.
 */
public final class DetectionLoss {

    private static final float EPS = 1e-7f;
    private static final double FOUR_OVER_PI_SQUARED = 4.0 / (Math.PI * Math.PI);

    private final int nc;
    private final int regMax;
    private final float[] strides;
    private final double boxGain;
    private final double clsGain;
    private final double dflGain;
    private final TaskAlignedAssigner assigner;

    public DetectionLoss(int nc, int regMax, float[] strides, double boxGain, double clsGain, double dflGain) {
        this.nc = nc;
        this.regMax = regMax;
        this.strides = strides.clone();
        this.boxGain = boxGain;
        this.clsGain = clsGain;
        this.dflGain = dflGain;
        this.assigner = TaskAlignedAssigner.ultralyticsDefaults();
    }

    /**
     * The loss of one batch.
     *
     * @param total {@code (box + cls + dfl) * batch}, what Ultralytics back-propagates
     * @param box the box term (after its gain), detached
     * @param cls the class term, detached
     * @param dfl the DFL term, detached
     */
    public record Result(NDArray total, float box, float cls, float dfl) {
    }

    /**
     * @param raw head output {@code [B, 4 * reg_max + nc, N]} for the images of {@code batch}
     */
    public Result compute(NDArray raw, Batch batch) {
        int height = batch.height();
        int width = batch.width();
        NDManager m = raw.getManager();
        Shape shape = raw.getShape();
        int b = (int) shape.get(0);
        int n = (int) shape.get(2);
        AnchorGrid grid = AnchorGrid.of(height, width, strides);
        if (grid.size() != n) {
            throw new IllegalArgumentException("head output has " + n + " anchors, expected " + grid.size());
        }
        NDArray dist = raw.get(new NDIndex(":, 0:" + (4 * regMax) + ", :")).reshape(b, 4, regMax, n);
        NDArray logits = raw.get(new NDIndex(":, " + (4 * regMax) + ":, :"));
        NDArray bins = m.arange(0f, (float) regMax, 1f).reshape(1, 1, regMax, 1);
        NDArray ltrb = dist.softmax(2).mul(bins).sum(new int[] { 2 }); // [B, 4, N] in grid units
        NDArray ax = m.create(grid.x(), new Shape(1, n));
        NDArray ay = m.create(grid.y(), new Shape(1, n));
        NDArray px1 = ax.sub(ltrb.get(new NDIndex(":, 0, :")));
        NDArray py1 = ay.sub(ltrb.get(new NDIndex(":, 1, :")));
        NDArray px2 = ax.add(ltrb.get(new NDIndex(":, 2, :")));
        NDArray py2 = ay.add(ltrb.get(new NDIndex(":, 3, :")));

        Targets t = assign(b, n, grid, logits, px1, py1, px2, py2, batch);
        float scoreSum = Math.max(t.scoreSum, 1f);

        NDArray targetScores = m.create(t.classScores, new Shape(b, nc, n));
        NDArray bce = logits.maximum(0f).sub(logits.mul(targetScores)).add(logits.abs().neg().exp().add(1f).log());
        NDArray clsLoss = bce.sum().div(scoreSum);

        NDArray weight = m.create(t.weight, new Shape(b, n));
        NDArray tb = m.create(t.boxes, new Shape(b, 4, n));
        NDArray ciou = ciou(px1, py1, px2, py2, tb.get(new NDIndex(":, 0, :")), tb.get(new NDIndex(":, 1, :")),
                tb.get(new NDIndex(":, 2, :")), tb.get(new NDIndex(":, 3, :")));
        NDArray boxLoss = ciou.neg().add(1f).mul(weight).sum().div(scoreSum);

        NDArray dflWeights = m.create(t.dflWeights, new Shape(b, 4, regMax, n));
        NDArray logProbs = dist.logSoftmax(2);
        NDArray dfl = logProbs.mul(dflWeights).sum(new int[] { 2 }).neg().mean(new int[] { 1 }); // [B, N]
        NDArray dflLoss = dfl.mul(weight).sum().div(scoreSum);

        NDArray boxTerm = boxLoss.mul((float) boxGain);
        NDArray clsTerm = clsLoss.mul((float) clsGain);
        NDArray dflTerm = dflLoss.mul((float) dflGain);
        NDArray total = boxTerm.add(clsTerm).add(dflTerm).mul(b);
        return new Result(total, boxTerm.getFloat(), clsTerm.getFloat(), dflTerm.getFloat());
    }

    /** Dense targets of a batch (background anchors: zero scores and weight, a unit box around the anchor). */
    private static final class Targets {
        float[] classScores;
        float[] weight;
        float[] boxes;
        float[] dflWeights;
        float scoreSum;
    }

    private Targets assign(int b, int n, AnchorGrid grid, NDArray logits, NDArray px1, NDArray py1, NDArray px2,
            NDArray py2, Batch batch) {
        float[] probs = Activation.sigmoid(logits.stopGradient()).toFloatArray();
        float[] x1 = px1.stopGradient().toFloatArray();
        float[] y1 = py1.stopGradient().toFloatArray();
        float[] x2 = px2.stopGradient().toFloatArray();
        float[] y2 = py2.stopGradient().toFloatArray();
        float[] anchorPxX = new float[n];
        float[] anchorPxY = new float[n];
        for (int a = 0; a < n; a++) {
            anchorPxX[a] = grid.x()[a] * grid.stride()[a];
            anchorPxY[a] = grid.y()[a] * grid.stride()[a];
        }
        Targets t = new Targets();
        t.classScores = new float[b * nc * n];
        t.weight = new float[b * n];
        t.boxes = new float[b * 4 * n];
        t.dflWeights = new float[b * 4 * regMax * n];
        float[] predPx = new float[4 * n];
        float[] scores = new float[nc * n];
        for (int i = 0; i < b; i++) {
            Batch.ImageBoxes truth = batch.boxesOf(i);
            int[] gtCls = truth.classes();
            float[] gtBox = truth.corners();
            for (int a = 0; a < n; a++) {
                float s = grid.stride()[a];
                predPx[a] = x1[i * n + a] * s;
                predPx[n + a] = y1[i * n + a] * s;
                predPx[2 * n + a] = x2[i * n + a] * s;
                predPx[3 * n + a] = y2[i * n + a] * s;
            }
            System.arraycopy(probs, i * nc * n, scores, 0, nc * n);
            TaskAlignedAssigner.Assignment assignment = assigner.assign(scores, predPx, anchorPxX, anchorPxY, gtCls,
                    gtBox);
            fill(t, i, n, grid, assignment, gtCls, gtBox);
        }
        return t;
    }

    private void fill(Targets t, int i, int n, AnchorGrid grid, TaskAlignedAssigner.Assignment assignment,
            int[] gtCls, float[] gtBox) {
        for (int a = 0; a < n; a++) {
            int j = assignment.gtIndex()[a];
            float s = grid.stride()[a];
            float ax = grid.x()[a];
            float ay = grid.y()[a];
            int boxBase = i * 4 * n;
            if (j < 0) {
                t.boxes[boxBase + a] = ax - 0.5f;
                t.boxes[boxBase + n + a] = ay - 0.5f;
                t.boxes[boxBase + 2 * n + a] = ax + 0.5f;
                t.boxes[boxBase + 3 * n + a] = ay + 0.5f;
                continue;
            }
            float score = assignment.score()[a];
            t.classScores[(i * nc + gtCls[j]) * n + a] = score;
            t.weight[i * n + a] = score;
            t.scoreSum += score;
            float bx1 = gtBox[4 * j] / s;
            float by1 = gtBox[4 * j + 1] / s;
            float bx2 = gtBox[4 * j + 2] / s;
            float by2 = gtBox[4 * j + 3] / s;
            t.boxes[boxBase + a] = bx1;
            t.boxes[boxBase + n + a] = by1;
            t.boxes[boxBase + 2 * n + a] = bx2;
            t.boxes[boxBase + 3 * n + a] = by2;
            float[] distances = { ax - bx1, ay - by1, bx2 - ax, by2 - ay };
            float max = regMax - 1 - 0.01f;
            for (int side = 0; side < 4; side++) {
                float d = Math.max(0f, Math.min(max, distances[side]));
                int left = (int) Math.floor(d);
                float wl = left + 1 - d;
                int base = ((i * 4 + side) * regMax) * n + a;
                t.dflWeights[base + left * n] = wl;
                t.dflWeights[base + (left + 1) * n] = 1 - wl;
            }
        }
    }

    /** Complete IoU of two sets of boxes given as coordinate arrays of equal shape. */
    static NDArray ciou(NDArray ax1, NDArray ay1, NDArray ax2, NDArray ay2, NDArray bx1, NDArray by1, NDArray bx2,
            NDArray by2) {
        NDArray w1 = ax2.sub(ax1);
        NDArray h1 = ay2.sub(ay1).add(EPS);
        NDArray w2 = bx2.sub(bx1);
        NDArray h2 = by2.sub(by1).add(EPS);
        NDArray iw = ax2.minimum(bx2).sub(ax1.maximum(bx1)).maximum(0f);
        NDArray ih = ay2.minimum(by2).sub(ay1.maximum(by1)).maximum(0f);
        NDArray inter = iw.mul(ih);
        NDArray union = w1.mul(h1).add(w2.mul(h2)).sub(inter).add(EPS);
        NDArray iou = inter.div(union);
        NDArray cw = ax2.maximum(bx2).sub(ax1.minimum(bx1));
        NDArray ch = ay2.maximum(by2).sub(ay1.minimum(by1));
        NDArray c2 = cw.square().add(ch.square()).add(EPS);
        NDArray dx = bx1.add(bx2).sub(ax1).sub(ax2);
        NDArray dy = by1.add(by2).sub(ay1).sub(ay2);
        NDArray rho2 = dx.square().add(dy.square()).div(4f);
        NDArray v = w2.div(h2).atan().sub(w1.div(h1).atan()).square().mul((float) FOUR_OVER_PI_SQUARED);
        // Ultralytics computes alpha without gradient
        NDArray alpha = v.div(v.sub(iou).add(1 + EPS)).stopGradient();
        return iou.sub(rho2.div(c2).add(v.mul(alpha)));
    }
}
