package io.visionplatform.vision.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.visionplatform.vision.nn.Blocks.Block;
import io.visionplatform.vision.nn.Blocks.ConvBn;
import io.visionplatform.vision.nn.Blocks.Loader;
import io.visionplatform.vision.nn.Blocks.PlainConv;
import io.visionplatform.vision.nn.Blocks.Sequence;

/**
 * The YOLO {@code Detect} head: per feature level a box branch ({@code cv2}: two 3x3 Convs and a 1x1 Conv2d to
 * {@code 4 * reg_max} channels) and a class branch ({@code cv3}: two 3x3 Convs, or two depthwise-separable pairs in
 * non-legacy heads, and a 1x1 Conv2d to {@code nc}). The box distances are read with a Distribution Focal Loss
 * expectation over {@code reg_max} bins (skipped when {@code reg_max} is 1), taken from anchor points at the cell
 * centres, and scaled by the level's stride. End-to-end heads (YOLO26) also hold a one-to-one copy of both branches
 * ({@code one2one_cv2}/{@code one2one_cv3}) whose boxes come out as corners.
 */
final class DetectHead {

    /** One set of branches: box and class, per level. */
    record Branches(List<Block> box, List<Block> cls) {
    }

    private final YoloArchitecture.DetectSpec spec;
    private final Branches oneToMany;
    private final Branches oneToOne;
    private final NDArray dflWeights;
    private final int maxDet;

    private DetectHead(YoloArchitecture.DetectSpec spec, Branches oneToMany, Branches oneToOne, NDArray dflWeights,
            int maxDet) {
        this.spec = spec;
        this.oneToMany = oneToMany;
        this.oneToOne = oneToOne;
        this.dflWeights = dflWeights;
        this.maxDet = maxDet;
    }

    /**
     * @param withOneToMany whether to load the one-to-many branches of an end-to-end head (present in training
     *        checkpoints, dropped from fused ones); always loaded for other heads
     */
    static DetectHead load(Loader l, String prefix, YoloArchitecture.DetectSpec spec, boolean withOneToMany) {
        StateDictWeights w = l.weights();
        w.checkDetect(prefix, spec);
        Branches oneToMany = null;
        Branches oneToOne = null;
        if (!spec.end2end() || withOneToMany) {
            oneToMany = branches(l, prefix, "", spec);
        }
        if (spec.end2end()) {
            oneToOne = branches(l, prefix, "one2one_", spec);
        }
        NDArray dfl = null;
        if (spec.regMax() > 1) {
            float[] bins = w.take(prefix + ".dfl.conv.weight", 1, spec.regMax(), 1, 1);
            dfl = l.array(bins, 1, 1, spec.regMax(), 1);
        }
        int maxDet = (int) w.moduleNumber(prefix, "max_det", 300);
        return new DetectHead(spec, oneToMany, oneToOne, dfl, maxDet);
    }

    private static Branches branches(Loader l, String prefix, String kind, YoloArchitecture.DetectSpec spec) {
        int c2 = spec.boxChannels();
        int c3 = spec.classChannels();
        List<Block> box = new ArrayList<>();
        List<Block> cls = new ArrayList<>();
        for (int i = 0; i < spec.ch().size(); i++) {
            int x = spec.ch().get(i);
            String b = prefix + "." + kind + "cv2." + i;
            box.add(Sequence.of(ConvBn.load(l, b + ".0", x, c2, 3, 1, 1, true),
                    ConvBn.load(l, b + ".1", c2, c2, 3, 1, 1, true),
                    new PlainConv(l, b + ".2", c2, 4 * spec.regMax())));
            String c = prefix + "." + kind + "cv3." + i;
            if (spec.legacy()) {
                cls.add(Sequence.of(ConvBn.load(l, c + ".0", x, c3, 3, 1, 1, true),
                        ConvBn.load(l, c + ".1", c3, c3, 3, 1, 1, true),
                        new PlainConv(l, c + ".2", c3, spec.nc())));
            } else {
                cls.add(Sequence.of(
                        Sequence.of(ConvBn.load(l, c + ".0.0", x, x, 3, 1, x, true),
                                ConvBn.load(l, c + ".0.1", x, c3, 1, 1, 1, true)),
                        Sequence.of(ConvBn.load(l, c + ".1.0", c3, c3, 3, 1, c3, true),
                                ConvBn.load(l, c + ".1.1", c3, c3, 1, 1, 1, true)),
                        new PlainConv(l, c + ".2", c3, spec.nc())));
            }
        }
        return new Branches(box, cls);
    }

    YoloArchitecture.DetectSpec spec() {
        return spec;
    }

    boolean hasOneToMany() {
        return oneToMany != null;
    }

    boolean hasOneToOne() {
        return oneToOne != null;
    }

    int maxDet() {
        return maxDet;
    }

    /**
     * Decoded predictions {@code [B, 4 + nc, N]}: boxes in input pixels ({@code cx, cy, w, h}, or {@code x1, y1, x2, y2}
     * for the one-to-one branches of an end-to-end head) and sigmoid class scores; the N anchors are level by level,
     * row-major within a level.
     */
    NDArray forward(List<NDArray> features, float[] strides, boolean useOneToOne) {
        Branches br = useOneToOne ? oneToOne : oneToMany;
        if (br == null) {
            throw new IllegalStateException(useOneToOne ? "the head has no one-to-one branches"
                    : "the head has no one-to-many branches");
        }
        int nl = features.size();
        NDList boxes = new NDList(nl);
        NDList scores = new NDList(nl);
        int total = 0;
        int[] sizes = new int[2 * nl];
        for (int i = 0; i < nl; i++) {
            NDArray f = features.get(i);
            Shape s = f.getShape();
            long b = s.get(0);
            int h = (int) s.get(2);
            int w = (int) s.get(3);
            sizes[2 * i] = h;
            sizes[2 * i + 1] = w;
            total += h * w;
            boxes.add(br.box().get(i).forward(f).reshape(b, 4L * spec.regMax(), (long) h * w));
            scores.add(br.cls().get(i).forward(f).reshape(b, spec.nc(), (long) h * w));
        }
        NDArray box = NDArrays.concat(boxes, 2);
        NDArray cls = NDArrays.concat(scores, 2);
        long b = box.getShape().get(0);
        NDArray dist = box;
        if (dflWeights != null) {
            // expectation over reg_max bins: softmax per side, weighted by the DFL conv's bin values (0..reg_max-1)
            dist = box.reshape(b, 4, spec.regMax(), total).softmax(2).mul(dflWeights).sum(new int[] { 2 });
        }
        float[] anchors = new float[2 * total];
        float[] strideRow = new float[total];
        int a = 0;
        for (int i = 0; i < nl; i++) {
            int h = sizes[2 * i];
            int w = sizes[2 * i + 1];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    anchors[a] = x + 0.5f;
                    anchors[total + a] = y + 0.5f;
                    strideRow[a] = strides[i];
                    a++;
                }
            }
        }
        NDManager m = dist.getManager();
        NDArray anchorPoints = m.create(anchors, new Shape(1, 2, total));
        NDArray strideTensor = m.create(strideRow, new Shape(1, 1, total));
        NDArray lt = dist.get(new NDIndex(":, 0:2, :"));
        NDArray rb = dist.get(new NDIndex(":, 2:4, :"));
        NDArray x1y1 = anchorPoints.sub(lt);
        NDArray x2y2 = anchorPoints.add(rb);
        NDArray decoded;
        if (useOneToOne) {
            decoded = x1y1.concat(x2y2, 1);
        } else {
            decoded = x1y1.add(x2y2).div(2f).concat(x2y2.sub(x1y1), 1);
        }
        return decoded.mul(strideTensor).concat(cls.getNDArrayInternal().sigmoid(), 1);
    }
}
