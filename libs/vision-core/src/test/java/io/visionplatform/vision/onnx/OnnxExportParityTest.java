package io.visionplatform.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.DetectionComparison;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.RecordedOutputs;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.nn.TorchNetworkDetector;
import io.visionplatform.vision.nn.YoloNetwork;

/**
 * Each fixture {@code best.pt} exported by {@link OnnxExporter}, written to disk and run by ONNX Runtime through
 * {@link OnnxDetector}, against the same checkpoint rebuilt on DJL ({@link TorchNetworkDetector}) and against
 * Ultralytics' recordings: raw {@code output0} on the recorded 192x192 inputs within 1e-3, and predictions on all 12
 * images (same classes, IoU >= 0.98, |conf diff| <= 0.01).
 */
class OnnxExportParityTest {

    private static final double TOLERANCE = 1e-3;
    private static final double MIN_IOU = 0.98;
    private static final double MAX_CONF_DIFF = 0.01;
    private static final String YOLO26 = "yolo26n-shapes4";

    private static final Map<String, OnnxDetector> EXPORTED = new HashMap<>();
    private static final Map<String, TorchNetworkDetector> DJL = new HashMap<>();
    private static OnnxDetector yolo26OneToMany;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        for (String model : Fixtures.MODELS) {
            Path file = dir.resolve(model + ".onnx");
            OnnxModelInfo info = OnnxExporter.export(Fixtures.checkpoint(model), file,
                    ExportOptions.defaults().withDate(OnnxFixtures.DATE));
            System.out.printf("[onnx] exported %s: %,d bytes, %d nodes, %d initializers, ops %s%n", model,
                    Files.size(file), info.nodeCount(), info.initializerCount(), info.opTypes());
            EXPORTED.put(model, OnnxDetector.load(file));
            DJL.put(model, TorchNetworkDetector.load(Fixtures.checkpoint(model), null));
        }
        Path file = dir.resolve("yolo26-end2end-false.onnx");
        OnnxExporter.export(Fixtures.checkpoint(YOLO26), file,
                ExportOptions.defaults().withEndToEnd(false).withDate(OnnxFixtures.DATE));
        yolo26OneToMany = OnnxDetector.load(file);
    }

    @AfterAll
    static void close() {
        EXPORTED.values().forEach(OnnxDetector::close);
        DJL.values().forEach(TorchNetworkDetector::close);
        if (yolo26OneToMany != null) {
            yolo26OneToMany.close();
        }
    }

    @Test
    void yolov8AndYolo11RawOutputEqualsTheDjlNetworkAndTheRecording() throws IOException {
        for (String model : List.of("yolov8n-shapes4", "yolo11n-shapes4")) {
            for (JsonNode rec : Fixtures.json(model, "raw_output.json").get("images")) {
                float[] input = RecordedOutputs.input(rec);
                RawOutput ours = EXPORTED.get(model).forward(input, 192, 192);
                RawOutput djl = DJL.get(model).network().forward(input, 192, 192);
                assertThat(ours.shape()).containsExactly(1, 8, 756);
                assertThat(ours.shape()).containsExactly(djl.shape());
                double vsDjl = OnnxFixtures.maxDiff(ours.data(), djl.data());
                double vsRecorded = OnnxFixtures.maxDiff(ours.data(), RecordedOutputs.output0(rec));
                System.out.printf("[onnx] raw output %s %s: %d values, max |diff| vs DJL %.3g, vs recorded ORT %.3g%n",
                        model, rec.get("image").asText(), ours.data().length, vsDjl, vsRecorded);
                assertThat(vsDjl).isLessThan(TOLERANCE);
                assertThat(vsRecorded).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void yolo26EndToEndRawOutputEqualsTheDjlNetworkUpToTiedScores() throws IOException {
        for (JsonNode rec : Fixtures.json(YOLO26, "raw_output.json").get("images")) {
            String image = rec.get("image").asText();
            float[] input = RecordedOutputs.input(rec);
            RawOutput ours = EXPORTED.get(YOLO26).forward(input, 192, 192);
            RawOutput djl = DJL.get(YOLO26).network().forward(input, 192, 192);
            assertThat(ours.shape()).containsExactly(1, 300, 6);
            assertThat(djl.shape()).containsExactly(1, 300, 6);
            double[] a = OnnxFixtures.compareEndToEnd(YOLO26 + " " + image + " vs DJL", ours.data(), djl.data(),
                    TOLERANCE);
            double[] b = OnnxFixtures.compareEndToEnd(YOLO26 + " " + image + " vs recorded", ours.data(),
                    RecordedOutputs.output0(rec), TOLERANCE);
            System.out.printf("[onnx] raw output %s %s [1, 300, 6]: vs DJL every row matched (max |diff| %.3g), %d in"
                    + " place, rows 0-%d in place; vs recorded ORT max |diff| %.3g, %d in place, rows 0-%d in place%n",
                    YOLO26, image, a[0], (int) a[1], (int) a[2] - 1, b[0], (int) b[1], (int) b[2] - 1);
        }
    }

    @Test
    void yolo26OneToManyExportEqualsTheDjlHeadAndTheEnd2endFalseRecording() throws IOException {
        assertThat(yolo26OneToMany.metadata().end2end()).isFalse();
        for (JsonNode rec : Fixtures.json(YOLO26, "raw_output.json").get("images_end2end_false")) {
            float[] input = RecordedOutputs.input(rec);
            RawOutput ours = yolo26OneToMany.forward(input, 192, 192);
            RawOutput djl = DJL.get(YOLO26).network().forward(input, 192, 192, YoloNetwork.Head.ONE_TO_MANY);
            assertThat(ours.shape()).containsExactly(1, 8, 756);
            double vsDjl = OnnxFixtures.maxDiff(ours.data(), djl.data());
            double vsRecorded = OnnxFixtures.maxDiff(ours.data(), RecordedOutputs.output0(rec));
            System.out.printf("[onnx] raw output %s end2end=False %s: max |diff| vs DJL %.3g, vs recorded ORT %.3g%n",
                    YOLO26, rec.get("image").asText(), vsDjl, vsRecorded);
            assertThat(vsDjl).isLessThan(TOLERANCE);
            assertThat(vsRecorded).isLessThan(TOLERANCE);
        }
    }

    @Test
    void predictionsEqualTheDjlNetworkWithFullLetterboxAndTheRecordedOnnxSet() throws IOException {
        List<String> images = Fixtures.imageNames();
        for (String model : Fixtures.MODELS) {
            OnnxDetector ours = EXPORTED.get(model);
            assertThat(ours.letterbox().isMinimal()).isFalse();
            DetectionComparison.Stats vsDjl = new DetectionComparison.Stats();
            DetectionComparison.Stats vsRecorded = new DetectionComparison.Stats();
            for (String image : images) {
                BgrImage bgr = ImageDecoder.read(Fixtures.image(image));
                List<Detection> found = ours.predict(bgr, 0.25, 0.7, 300);
                List<Detection> djl = DJL.get(model).predict(bgr, Letterbox.full(192, 192), 0.25, 0.7, 300);
                vsDjl.compare(model + " vs DJL " + image, djl, found, MIN_IOU, MAX_CONF_DIFF);
                vsRecorded.compare(model + " vs onnx_ort_conf0.25_iou0.7 " + image,
                        DetectionComparison.resultSet(model, "onnx_ort_conf0.25_iou0.7").detections(image), found,
                        MIN_IOU, MAX_CONF_DIFF);
            }
            assertThat(vsDjl.images()).isEqualTo(12);
            assertThat(vsDjl.pairs()).isPositive();
            System.out.println("[onnx] parity " + model + " exported ONNX vs DJL .pt (full letterbox): "
                    + vsDjl.summary());
            System.out.println("[onnx] parity " + model + " exported ONNX vs onnx_ort_conf0.25_iou0.7: "
                    + vsRecorded.summary());
        }
    }

    @Test
    void yolo26OneToManyPredictionsEqualTheEnd2endFalseRecording() throws IOException {
        DetectionComparison.Stats stats = new DetectionComparison.Stats();
        for (String image : Fixtures.imageNames()) {
            BgrImage bgr = ImageDecoder.read(Fixtures.image(image));
            stats.compare(YOLO26 + " end2end=False " + image,
                    DetectionComparison.resultSet(YOLO26, "onnx_end2end_false_ort_conf0.25_iou0.7").detections(image),
                    yolo26OneToMany.predict(bgr, 0.25, 0.7, 300), MIN_IOU, MAX_CONF_DIFF);
        }
        System.out.println("[onnx] parity " + YOLO26 + " exported end2end=False vs onnx_end2end_false_ort: "
                + stats.summary());
    }
}
