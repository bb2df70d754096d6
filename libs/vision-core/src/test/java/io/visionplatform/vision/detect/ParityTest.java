package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.visionplatform.vision.DetectionComparison;
import io.visionplatform.vision.DetectionComparison.ResultSet;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;

/**
 * End to end against Ultralytics: every fixture image through {@link OnnxDetector} with each model's {@code model.onnx}
 * gives the detections Ultralytics recorded for that model file (same count; per pair same class, IoU >= 0.98,
 * |conf diff| <= 0.01).
 */
class ParityTest {

    private static final double MIN_IOU = 0.98;
    private static final double MAX_CONF_DIFF = 0.01;

    @Test
    void matchesUltralyticsOnEveryImageForEveryModel() throws IOException {
        List<String> images = Fixtures.imageNames();
        for (String model : Fixtures.MODELS) {
            List<ResultSet> sets = DetectionComparison.resultSets(model, "model.onnx");
            assertThat(sets).as("%s has a model.onnx result set", model).isNotEmpty();
            try (OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile(model, "model.onnx"))) {
                for (ResultSet set : sets) {
                    DetectionComparison.Stats stats = new DetectionComparison.Stats();
                    for (String image : images) {
                        BgrImage bgr = ImageDecoder.read(Fixtures.image(image));
                        List<Detection> ours = detector.predict(bgr, set.conf(), set.iou(), 300);
                        stats.compare(model + " " + set.key() + " " + image, set.detections(image), ours, MIN_IOU,
                                MAX_CONF_DIFF);
                    }
                    assertThat(stats.images()).isEqualTo(12);
                    assertThat(stats.pairs()).isPositive();
                    System.out.println("[vision-core] parity " + model + " " + set.key() + ": " + stats.summary());
                }
            }
        }
    }

    /**
     * Thresholds not recorded for ONNX, derived from the recorded set: greedy NMS decides a box only from higher-scored
     * boxes, so raising conf (or lowering max_det) must give exactly the recorded detections above it (the first ones).
     */
    @Test
    void stricterThresholdsGiveTheCorrespondingSubset() throws IOException {
        for (String model : Fixtures.MODELS) {
            ResultSet set = DetectionComparison.resultSets(model, "model.onnx").get(0);
            try (OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile(model, "model.onnx"))) {
                DetectionComparison.Stats stats = new DetectionComparison.Stats();
                for (String image : Fixtures.imageNames()) {
                    BgrImage bgr = ImageDecoder.read(Fixtures.image(image));
                    List<Detection> recorded = set.detections(image);
                    for (Map.Entry<Double, Integer> t : Map.of(0.5, 300, 0.25, 1).entrySet()) {
                        double conf = t.getKey();
                        // A recorded score this close to the threshold could legitimately land on either side.
                        assertThat(recorded).noneMatch(d -> Math.abs(d.confidence() - conf) < 1e-4);
                        List<Detection> expected = recorded.stream()
                                .filter(d -> d.confidence() > conf)
                                .limit(t.getValue())
                                .toList();
                        stats.compare(model + " conf " + conf + " maxDet " + t.getValue() + " " + image, expected,
                                detector.predict(bgr, conf, set.iou(), t.getValue()), MIN_IOU, MAX_CONF_DIFF);
                    }
                }
                System.out.println("[vision-core] parity (derived conf 0.5 / max_det 1) " + model + ": " + stats.summary());
            }
        }
    }
}
