package io.visionplatform.vision.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.visionplatform.vision.DetectionComparison;
import io.visionplatform.vision.DetectionComparison.ResultSet;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.BoxScaling;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.detect.YoloDecoder;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxedImage;

/**
 * End to end against Ultralytics' {@code best.pt} predictions: every fixture image through {@link TorchNetworkDetector}
 * for every model and every recorded {@code .pt} result set (minimal letterbox at conf 0.25 / 0.5 and iou 0.7 / 0.45,
 * and the full letterbox of {@code rect=False}): same count; per pair same class, IoU >= 0.98, |conf diff| <= 0.01.
 */
class TorchNetworkDetectorParityTest {

    private static final double MIN_IOU = 0.98;
    private static final double MAX_CONF_DIFF = 0.01;
    private static final List<String> PT_SETS = List.of("pt_conf0.25_iou0.7", "pt_conf0.5_iou0.7", "pt_conf0.25_iou0.45",
            "pt_rect_false_conf0.25_iou0.7");

    private static final java.util.Map<String, TorchNetworkDetector> DETECTORS = new java.util.HashMap<>();

    @BeforeAll
    static void load() {
        for (String model : Fixtures.MODELS) {
            DETECTORS.put(model, TorchNetworkDetector.load(Fixtures.checkpoint(model), null));
        }
    }

    @AfterAll
    static void close() {
        DETECTORS.values().forEach(TorchNetworkDetector::close);
    }

    @Test
    void matchesEveryRecordedPtResultSetOfEveryModel() throws IOException {
        List<String> images = Fixtures.imageNames();
        for (String model : Fixtures.MODELS) {
            assertThat(DetectionComparison.resultSets(model, "best.pt")).as("%s best.pt sets", model)
                    .extracting(ResultSet::key).containsExactlyInAnyOrderElementsOf(PT_SETS);
            TorchNetworkDetector detector = DETECTORS.get(model);
            assertThat(detector.letterbox().isMinimal()).isTrue();
            assertThat(detector.names()).containsExactly("circle", "square", "triangle", "cross");
            for (String key : PT_SETS) {
                ResultSet set = DetectionComparison.resultSet(model, key);
                Letterbox box = set.rect() ? detector.letterbox() : Letterbox.full(192, 192);
                DetectionComparison.Stats stats = new DetectionComparison.Stats();
                for (String image : images) {
                    BgrImage bgr = ImageDecoder.read(Fixtures.image(image));
                    int[] shape = set.inputShape(image);
                    assertThat(box.plan(bgr.width(), bgr.height()).inputHeight()).as("%s %s input height", key, image)
                            .isEqualTo(shape[2]);
                    assertThat(box.plan(bgr.width(), bgr.height()).inputWidth()).as("%s %s input width", key, image)
                            .isEqualTo(shape[3]);
                    List<Detection> ours = detector.predict(bgr, box, set.conf(), set.iou(), 300);
                    stats.compare(model + " " + key + " " + image, set.detections(image), ours, MIN_IOU, MAX_CONF_DIFF);
                }
                assertThat(stats.images()).isEqualTo(12);
                assertThat(stats.pairs()).isPositive();
                System.out.println("[nn] parity " + model + " " + key + ": " + stats.summary());
            }
        }
    }

    /** YOLO26's one-to-many head with NMS on the full letterbox reproduces its recorded {@code end2end=False} export. */
    @Test
    void yolo26OneToManyHeadMatchesTheEnd2endFalseExportPredictions() throws IOException {
        String model = "yolo26n-shapes4";
        ResultSet set = DetectionComparison.resultSet(model, "onnx_end2end_false_ort_conf0.25_iou0.7");
        YoloNetwork net = DETECTORS.get(model).network();
        DetectionComparison.Stats stats = new DetectionComparison.Stats();
        for (String image : Fixtures.imageNames()) {
            LetterboxedImage input = Letterbox.full(192, 192).apply(ImageDecoder.read(Fixtures.image(image)));
            RawOutput out = net.forward(input.toTensor(), 192, 192, YoloNetwork.Head.ONE_TO_MANY);
            List<Detection> ours = BoxScaling.toOriginal(YoloDecoder.decode(out, false, set.conf(), set.iou(), 300),
                    input.info(), DETECTORS.get(model)::className);
            stats.compare(model + " one-to-many " + image, set.detections(image), ours, MIN_IOU, MAX_CONF_DIFF);
        }
        System.out.println("[nn] parity " + model + " one-to-many head vs " + set.key() + ": " + stats.summary());
    }
}
