package io.visionplatform.vision.train;

import java.util.Iterator;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.detect.ScoredBox;
import io.visionplatform.vision.metrics.MetricsAccumulator;
import io.visionplatform.vision.metrics.ValPredictions;
import io.visionplatform.vision.metrics.ValidationMetrics;
import io.visionplatform.vision.train.data.Batch;
import io.visionplatform.vision.train.data.Sample;
import io.visionplatform.vision.train.data.ValLoader;
import io.visionplatform.vision.train.loss.AnchorGrid;
import io.visionplatform.vision.train.loss.DetectionLoss;
import io.visionplatform.vision.train.nn.TrainableNetwork;
import io.visionplatform.vision.train.nn.Weights;

/**
 * Validation as Ultralytics runs it after each epoch: the averaged (EMA) weights in inference mode on the letterboxed
 * val images, the validation losses, multi-label NMS at conf 0.001 / IoU 0.7 / 300 detections, and the COCO-style
 * metrics, all in model-input pixels (IoU is unchanged by the letterbox's uniform scale).
 */
final class Validator {

    /** What one validation pass measured. */
    record Result(ValidationMetrics metrics, float boxLoss, float clsLoss, float dflLoss) {
    }

    private final TrainableNetwork network;
    private final DetectionLoss loss;
    private final List<Sample> samples;
    private final int imgsz;
    private final int batch;

    Validator(TrainableNetwork network, DetectionLoss loss, List<Sample> samples, int imgsz, int batch) {
        this.network = network;
        this.loss = loss;
        this.samples = samples;
        this.imgsz = imgsz;
        this.batch = batch;
    }

    Result run(NDManager parent, Weights weights) {
        MetricsAccumulator accumulator = new MetricsAccumulator();
        int nc = network.classCount();
        double box = 0;
        double cls = 0;
        double dfl = 0;
        int batches = 0;
        Iterator<Batch> it = new ValLoader(samples, imgsz, batch).batches();
        while (it.hasNext()) {
            Batch b = it.next();
            try (NDManager scope = parent.newSubManager()) {
                NDArray input = scope.create(b.images(), new Shape(b.size(), 3, b.height(), b.width()));
                NDArray raw = network.forward(weights, false, input);
                DetectionLoss.Result l = loss.compute(raw, b);
                box += l.box();
                cls += l.cls();
                dfl += l.dfl();
                batches++;
                float[] decoded = decode(raw, b.height(), b.width()).toFloatArray();
                int n = (int) raw.getShape().get(2);
                int rows = 4 + nc;
                for (int i = 0; i < b.size(); i++) {
                    float[] one = new float[rows * n];
                    System.arraycopy(decoded, i * rows * n, one, 0, rows * n);
                    List<ScoredBox> preds = ValPredictions.decode(new RawOutput(new long[] { 1, rows, n }, one), false,
                            ValPredictions.DEFAULT_CONF, ValPredictions.DEFAULT_IOU, ValPredictions.DEFAULT_MAX_DET);
                    addImage(accumulator, b, i, preds);
                }
            }
        }
        ValidationMetrics metrics = accumulator.compute(nc);
        int d = Math.max(batches, 1);
        return new Result(metrics, (float) (box / d), (float) (cls / d), (float) (dfl / d));
    }

    private static void addImage(MetricsAccumulator accumulator, Batch b, int image, List<ScoredBox> preds) {
        Batch.ImageBoxes truth = b.boxesOf(image);
        float[][] gt = new float[truth.count()][];
        for (int k = 0; k < gt.length; k++) {
            gt[k] = java.util.Arrays.copyOfRange(truth.corners(), 4 * k, 4 * k + 4);
        }
        int[] gtCls = truth.classes();
        float[][] boxes = new float[preds.size()][];
        float[] conf = new float[preds.size()];
        int[] classes = new int[preds.size()];
        for (int i = 0; i < preds.size(); i++) {
            ScoredBox p = preds.get(i);
            boxes[i] = new float[] { p.x1(), p.y1(), p.x2(), p.y2() };
            conf[i] = p.score();
            classes[i] = p.classId();
        }
        accumulator.add(gt, gtCls, boxes, conf, classes);
    }

    /** The raw head output decoded as the inference graph does: {@code [B, 4 + nc, N]}, cx cy w h in pixels. */
    private NDArray decode(NDArray raw, int height, int width) {
        NDManager m = raw.getManager();
        int b = (int) raw.getShape().get(0);
        int n = (int) raw.getShape().get(2);
        int regMax = network.regMax();
        AnchorGrid grid = AnchorGrid.of(height, width, network.strides());
        NDArray dist = raw.get(new NDIndex(":, 0:" + (4 * regMax) + ", :")).reshape(b, 4, regMax, n);
        NDArray bins = m.arange(0f, (float) regMax, 1f).reshape(1, 1, regMax, 1);
        NDArray ltrb = dist.softmax(2).mul(bins).sum(new int[] { 2 });
        NDArray ax = m.create(grid.x(), new Shape(1, 1, n));
        NDArray ay = m.create(grid.y(), new Shape(1, 1, n));
        NDArray stride = m.create(grid.stride(), new Shape(1, 1, n));
        NDArray l = ltrb.get(new NDIndex(":, 0:1, :"));
        NDArray t = ltrb.get(new NDIndex(":, 1:2, :"));
        NDArray r = ltrb.get(new NDIndex(":, 2:3, :"));
        NDArray bo = ltrb.get(new NDIndex(":, 3:4, :"));
        NDArray cx = ax.add(r.sub(l).div(2f)).mul(stride);
        NDArray cy = ay.add(bo.sub(t).div(2f)).mul(stride);
        NDArray w = l.add(r).mul(stride);
        NDArray h = t.add(bo).mul(stride);
        NDArray scores = Activation.sigmoid(raw.get(new NDIndex(":, " + (4 * regMax) + ":, :")));
        return cx.concat(cy, 1).concat(w, 1).concat(h, 1).concat(scores, 1);
    }
}
