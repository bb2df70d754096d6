package io.visionplatform.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.DetectorOptions;
import io.visionplatform.vision.detect.OnnxDetector;

/**
 * The fixtures' {@code val_metrics.json} ({@code YOLO("best.pt").val()} on the 64 shapes4 val images, imgsz 192) against
 * this package fed with each model's {@code model.onnx} predictions on the same 64 images (test resource
 * {@code metrics/shapes4-val}) at Ultralytics' val settings: conf 0.001, iou 0.7, max_det 300, multi-label NMS,
 * unclipped boxes ({@link ValPredictions}), images in the val loader's {@code rect} order.
 * <p>
 * The metric code itself reproduces Ultralytics exactly (see {@link ReferenceCasesTest}); what remains here is the
 * model input. Ultralytics' val loader shrinks each image with {@code cv2.INTER_AREA} (long side 192, sizes rounded
 * up) and pads each batch of 16 to its own stride-multiple shape with {@code pad=0.5} (here 160x224, 192x224, 224x224 and
 * 224x224, h x w; 59 of the 64 images are shrunk), while the
 * static ONNX export only accepts 192x192 and gets the predict letterbox (bilinear resize, centred in 192x192).
 * Measured on these fixtures that moves mAP50-95 by 0.0021 / 0.0046 / 0.0033 and per-class AP50-95 by at most 0.0155,
 * P and R (taken at a single max-F1 confidence) by up to 0.049.
 */
class UltralyticsValParityTest {

    private static final double MAP5095_TOL = 0.005;
    private static final double MAP50_TOL = 0.01;
    private static final double CLASS_AP5095_TOL = 0.02;
    /** P and R are read at one confidence, so they move more with the input; a sanity bound only. */
    private static final double PR_TOL = 0.06;
    private static final List<String> NAMES = List.of("circle", "square", "triangle", "cross");

    @Test
    void resourceIsTheFixtureDatasetsValSplit() throws IOException {
        List<Shapes4Val.Image> images = Shapes4Val.images();
        assertThat(images).hasSize(64);
        Path fixtureVal = Fixtures.dir().resolve("dataset");
        int compared = 0;
        try (var files = Files.list(fixtureVal.resolve("images/val"))) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                String stem = name.substring(0, name.length() - 4);
                assertThat(Files.readAllBytes(Shapes4Val.dir().resolve("images").resolve(name))).as(name)
                        .isEqualTo(Files.readAllBytes(p));
                assertThat(Files.readAllBytes(Shapes4Val.dir().resolve("labels").resolve(stem + ".txt"))).as(stem)
                        .isEqualTo(Files.readAllBytes(fixtureVal.resolve("labels/val").resolve(stem + ".txt")));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(16);
    }

    @Test
    void reproducesUltralyticsValMetricsForEveryModel() {
        List<Shapes4Val.Image> images = Shapes4Val.rectOrder(Shapes4Val.images());
        int labels = images.stream().mapToInt(i -> i.labels().size()).sum();
        for (String model : Fixtures.MODELS) {
            JsonNode ref = Fixtures.json(model, "val_metrics.json");
            MetricsAccumulator acc = new MetricsAccumulator();
            int predictions = 0;
            try (OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile(model, "model.onnx"), new DetectorOptions(2))) {
                for (Shapes4Val.Image image : images) {
                    List<Detection> preds = ValPredictions.predict(detector, image.bgr());
                    predictions += preds.size();
                    acc.add(image.labels(), preds);
                }
            }
            ValidationMetrics m = acc.compute(NAMES.size());
            System.out.printf(Locale.ROOT,
                    "[metrics] %s: ours vs ultralytics  P %.4f vs %.4f  R %.4f vs %.4f  mAP50 %.4f vs %.4f"
                            + "  mAP50-95 %.4f vs %.4f  (%d images, %d labels, %d predictions)%n",
                    model, m.precision(), ref.get("precision").asDouble(), m.recall(), ref.get("recall").asDouble(),
                    m.map50(), ref.get("mAP50").asDouble(), m.map5095(), ref.get("mAP50-95").asDouble(), m.images(),
                    m.instances(), predictions);
            StringBuilder perClass = new StringBuilder();
            for (int c = 0; c < NAMES.size(); c++) {
                perClass.append(String.format(Locale.ROOT, "  %s %.4f vs %.4f", NAMES.get(c), m.classAp5095()[c],
                        ref.get("per_class_AP50-95").get(NAMES.get(c)).asDouble()));
            }
            System.out.println("[metrics] " + model + ": per-class AP50-95 ours vs ultralytics" + perClass);

            assertThat(m.images()).isEqualTo(64);
            assertThat(m.instances()).isEqualTo(labels);
            assertThat(m.map5095()).as(model + " mAP50-95").isCloseTo(ref.get("mAP50-95").asDouble(), within(MAP5095_TOL));
            assertThat(m.map50()).as(model + " mAP50").isCloseTo(ref.get("mAP50").asDouble(), within(MAP50_TOL));
            assertThat(m.precision()).as(model + " P").isCloseTo(ref.get("precision").asDouble(), within(PR_TOL));
            assertThat(m.recall()).as(model + " R").isCloseTo(ref.get("recall").asDouble(), within(PR_TOL));
            for (int c = 0; c < NAMES.size(); c++) {
                String name = NAMES.get(c);
                assertThat(m.classAp5095()[c]).as(model + " AP50-95 " + name)
                        .isCloseTo(ref.get("per_class_AP50-95").get(name).asDouble(), within(CLASS_AP5095_TOL));
                assertThat(m.classAp50()[c]).as(model + " AP50 " + name)
                        .isCloseTo(ref.get("per_class_AP50").get(name).asDouble(), within(2 * MAP50_TOL));
            }
            // Ultralytics 8.4 reports fitness = mAP50-95 (weights [0, 0, 0, 1])
            assertThat(ref.get("fitness").asDouble()).isEqualTo(ref.get("mAP50-95").asDouble());
            assertThat(m.fitness()).isEqualTo(m.map5095());
        }
    }
}
