package io.visionplatform.model;

import static io.visionplatform.model.ModelCallers.createProject;
import static io.visionplatform.model.ModelCallers.newCaller;
import static io.visionplatform.model.ModelCallers.predict;
import static io.visionplatform.model.ModelCallers.uploadedModel;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.restassured.path.json.JsonPath;
import io.visionplatform.vision.Fixtures;

/**
 * Predict over HTTP gives what the real Ultralytics package gave on the same files (ONNX exports and .pt checkpoints)
 * and images: same classes,
 * box IoU ≥ 0.98, confidence within 0.01, for every fixture model and image, at the default thresholds and at a
 * stricter confidence.
 */
@QuarkusTest
class PredictParityTest {

    /**
     * @param weights the fixture file uploaded: {@code model.onnx} (ONNX Runtime) or {@code best.pt} (the network
     *        rebuilt in Java on DJL, minimal letterbox)
     * @param set the result set of predictions.json recorded for that file at conf 0.25 (stricter confs are derived)
     */
    @ParameterizedTest(name = "{0} {1} conf {3}")
    @CsvSource({ "yolov8n-shapes4, model.onnx, onnx_ort_conf0.25_iou0.7, 0.25",
            "yolo11n-shapes4, model.onnx, onnx_ort_conf0.25_iou0.7, 0.25",
            "yolo26n-shapes4, model.onnx, onnx_ort_conf0.25_iou0.7, 0.25",
            "yolov8n-shapes4, model.onnx, onnx_ort_conf0.25_iou0.7, 0.5",
            "yolo11n-shapes4, model.onnx, onnx_ort_conf0.25_iou0.7, 0.5",
            "yolo26n-shapes4, model.onnx, onnx_ort_conf0.25_iou0.7, 0.5",
            "yolov8n-shapes4, best.pt, pt_conf0.25_iou0.7, 0.25",
            "yolo11n-shapes4, best.pt, pt_conf0.25_iou0.7, 0.25",
            "yolo26n-shapes4, best.pt, pt_conf0.25_iou0.7, 0.25",
            "yolo11n-shapes4, best.pt, pt_conf0.25_iou0.7, 0.5" })
    void predictionsMatchUltralytics(String model, String weights, String set, double conf) {
        Header caller = newCaller();
        String projectId = createProject(caller, "Parity " + model);
        String modelId = uploadedModel(caller, projectId, model, Fixtures.modelFile(model, weights));
        JsonNode recorded = Fixtures.json(model, "predictions.json").get("sets").get(set).get("images");

        int compared = 0;
        double minIou = 1;
        double maxConfDelta = 0;
        for (String image : Fixtures.imageNames()) {
            JsonPath answer = predict(caller, modelId, Fixtures.image(image), Map.of("conf", conf, "iou", 0.7))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(answer.getBoolean("success")).isTrue();
            List<Map<String, Object>> actual = answer.getList("predictions");
            // Detections kept at conf 0.25 that score above a stricter conf are exactly those kept at it: NMS only
            // ever suppresses a box in favour of a higher-scored one.
            List<JsonNode> expected = new ArrayList<>();
            recorded.get(image).get("detections").forEach(detection -> {
                if (detection.get("conf").asDouble() > conf) {
                    expected.add(detection);
                }
            });
            assertThat(actual).as("%s %s: number of detections", model, image).hasSameSizeAs(expected);
            List<Map<String, Object>> unmatched = new ArrayList<>(actual);
            for (JsonNode want : expected) {
                Map<String, Object> best = null;
                double bestIou = -1;
                for (Map<String, Object> got : unmatched) {
                    if (((Number) got.get("classId")).intValue() == want.get("cls").asInt()) {
                        double iou = iou(box(got), want.get("xyxy"));
                        if (iou > bestIou) {
                            bestIou = iou;
                            best = got;
                        }
                    }
                }
                assertThat(best).as("%s %s: a %s detection", model, image, want.get("name").asText()).isNotNull();
                unmatched.remove(best);
                double confDelta = Math.abs(((Number) best.get("confidence")).doubleValue() - want.get("conf").asDouble());
                assertThat(bestIou).as("%s %s IoU", model, image).isGreaterThanOrEqualTo(0.98);
                assertThat(confDelta).as("%s %s confidence", model, image).isLessThanOrEqualTo(0.01);
                assertThat(best.get("class")).isEqualTo(want.get("name").asText());
                minIou = Math.min(minIou, bestIou);
                maxConfDelta = Math.max(maxConfDelta, confDelta);
                compared++;
            }
        }
        System.out.printf("[parity] %s %s conf %.2f over HTTP: %d detections, min IoU %.6f, max |dconf| %.2e%n", model,
                weights, conf, compared, minIou, maxConfDelta);
        assertThat(compared).isPositive();
    }

    @SuppressWarnings("unchecked")
    private static double[] box(Map<String, Object> prediction) {
        Map<String, Number> box = (Map<String, Number>) prediction.get("box");
        return new double[] { box.get("x1").doubleValue(), box.get("y1").doubleValue(), box.get("x2").doubleValue(),
                box.get("y2").doubleValue() };
    }

    private static double iou(double[] a, JsonNode b) {
        double x1 = Math.max(a[0], b.get(0).asDouble());
        double y1 = Math.max(a[1], b.get(1).asDouble());
        double x2 = Math.min(a[2], b.get(2).asDouble());
        double y2 = Math.min(a[3], b.get(3).asDouble());
        double inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        double areaA = (a[2] - a[0]) * (a[3] - a[1]);
        double areaB = (b.get(2).asDouble() - b.get(0).asDouble()) * (b.get(3).asDouble() - b.get(1).asDouble());
        return inter / (areaA + areaB - inter);
    }
}
