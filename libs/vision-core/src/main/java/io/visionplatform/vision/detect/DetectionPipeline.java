package io.visionplatform.vision.detect;

import java.util.List;
import java.util.function.IntFunction;

import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxedImage;

/**
 * What every detector does around its forward pass, as {@code YOLO(model).predict(image)} does: letterbox the image,
 * run the model on the tensor, decode its raw output ({@code [1, 4+nc, N]} with NMS, or end-to-end {@code [1, N, 6]})
 * and map the boxes back to the original image. One place, so that the ONNX, TorchScript and rebuilt-network
 * detectors cannot drift apart.
 */
public final class DetectionPipeline {

    /** A model's forward pass on an NCHW RGB float tensor of batch 1. */
    @FunctionalInterface
    public interface Forward {
        RawOutput forward(float[] nchw, int height, int width);
    }

    private DetectionPipeline() {
    }

    /** @throws IllegalArgumentException unless 0 <= conf <= 1, 0 <= iou <= 1 and maxDet >= 0 */
    public static void checkThresholds(double conf, double iou, int maxDet) {
        if (!(conf >= 0 && conf <= 1) || !(iou >= 0 && iou <= 1) || maxDet < 0) {
            throw new IllegalArgumentException("need 0 <= conf <= 1, 0 <= iou <= 1, maxDet >= 0; got conf " + conf
                    + ", iou " + iou + ", maxDet " + maxDet);
        }
    }

    /**
     * Detections in original-image pixels, best first.
     *
     * @param endToEnd whether the output is end-to-end {@code [1, N, 6]} rows
     * @param className the name of a class id
     * @throws IllegalArgumentException when a threshold is out of range
     */
    public static List<Detection> predict(BgrImage image, Letterbox letterbox, Forward model, boolean endToEnd,
            IntFunction<String> className, double conf, double iou, int maxDet) {
        checkThresholds(conf, iou, maxDet);
        LetterboxedImage input = letterbox.apply(image);
        RawOutput output = model.forward(input.toTensor(), input.info().inputHeight(), input.info().inputWidth());
        List<ScoredBox> boxes = YoloDecoder.decode(output, endToEnd, conf, iou, maxDet);
        return BoxScaling.toOriginal(boxes, input.info(), className);
    }
}
