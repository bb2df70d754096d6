package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.DetectionComparison;
import io.visionplatform.vision.DetectionComparison.ResultSet;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxInfo;

class YoloDecoderTest {

    /** [1, 4 + 2, 3]: anchor 0 class 1 at 0.9, anchor 1 overlapping it (class 1, 0.6), anchor 2 class 0 at 0.2. */
    private static RawOutput anchors() {
        float[] d = {
                // cx
                20, 21, 80,
                // cy
                20, 20, 80,
                // w
                10, 10, 4,
                // h
                8, 8, 4,
                // class 0 scores
                0.1f, 0.05f, 0.2f,
                // class 1 scores
                0.9f, 0.6f, 0.1f };
        return new RawOutput(new long[] { 1, 6, 3 }, d);
    }

    @Test
    void decodesAnchorLayoutWithBestClassCornersAndNms() {
        List<ScoredBox> boxes = YoloDecoder.decode(anchors(), false, 0.15, 0.7, 300);
        assertThat(boxes).containsExactly(new ScoredBox(15, 16, 25, 24, 0.9f, 1), new ScoredBox(78, 78, 82, 82, 0.2f, 0));
        assertThat(YoloDecoder.decode(anchors(), false, 0.15, 0.95, 300)).hasSize(3);
        assertThat(YoloDecoder.decode(anchors(), false, 0.2, 0.95, 300)).hasSize(2);
    }

    @Test
    void decodesEndToEndRowsWithoutNms() {
        float[] d = {
                10, 10, 20, 20, 0.9f, 2,
                11, 11, 21, 21, 0.8f, 2,
                0, 0, 5, 5, 0.25f, 1,
                0, 0, 5, 5, 0.1f, 0 };
        RawOutput out = new RawOutput(new long[] { 1, 4, 6 }, d);
        assertThat(YoloDecoder.decode(out, false, 0.25, 0.1, 300)).containsExactly(
                new ScoredBox(10, 10, 20, 20, 0.9f, 2), new ScoredBox(11, 11, 21, 21, 0.8f, 2));
        assertThat(YoloDecoder.decode(out, true, 0.0, 0.7, 3)).hasSize(3);
        // end2end metadata wins even when the shape alone would not say so
        RawOutput sevenColumns = new RawOutput(new long[] { 1, 1, 7 }, new float[] { 1, 2, 3, 4, 0.5f, 1, 99 });
        assertThat(YoloDecoder.decode(sevenColumns, true, 0.25, 0.7, 300)).containsExactly(new ScoredBox(1, 2, 3, 4, 0.5f, 1));
    }

    @Test
    void refusesShapesItCannotDecode() {
        assertThatThrownBy(() -> YoloDecoder.decode(new RawOutput(new long[] { 1, 4, 2 }, new float[8]), false, 0.25, 0.7, 300))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                () -> YoloDecoder.decode(new RawOutput(new long[] { 2, 6, 1 }, new float[12]), false, 0.25, 0.7, 300))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scalesBoxesBackLikeUltralytics() {
        // 120x300 (w x h) at 192: r = 0.64, 77 wide, pad left 57 (scale_boxes recomputes the same pad).
        LetterboxInfo info = Letterbox.full(192, 192).plan(120, 300);
        List<Detection> d = BoxScaling.toOriginal(List.of(new ScoredBox(57 + 6.4f, 32, 57 + 70.4f, 300, 0.5f, 0)), info,
                id -> "c" + id);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).className()).isEqualTo("c0");
        assertThat(d.get(0).x1()).isCloseTo(10f, within(1e-4f));
        assertThat(d.get(0).y1()).isCloseTo(50f, within(1e-4f));
        assertThat(d.get(0).x2()).isCloseTo(110f, within(1e-4f));
        assertThat(d.get(0).y2()).isEqualTo(300f); // 468.75, clipped to the image height
    }

    /**
     * Decoding Ultralytics' own recorded {@code output0} (6 decimals) reproduces its recorded detections: isolates the
     * decoder, NMS and box scaling from pre-processing and inference. Covers yolo26's NMS-needing end2end=False head
     * too, whose model file is not shipped.
     */
    @Test
    void recordedRawOutputsDecodeToTheRecordedDetections() {
        for (String model : Fixtures.MODELS) {
            JsonNode raw = Fixtures.json(model, "raw_output.json");
            for (String field : List.of("images", "images_end2end_false")) {
                if (!raw.has(field)) {
                    continue;
                }
                DetectionComparison.Stats stats = new DetectionComparison.Stats();
                for (JsonNode rec : raw.get(field)) {
                    String weights = rec.get("model").asText();
                    ResultSet set = DetectionComparison.resultSets(model, weights).get(0);
                    JsonNode out = rec.get("outputs").get(0);
                    long[] shape = new long[out.get("shape").size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = out.get("shape").get(i).asLong();
                    }
                    JsonNode values = out.get("data_flat_row_major_6dp");
                    float[] data = new float[values.size()];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) values.get(i).asDouble();
                    }
                    boolean end2end = "model.onnx".equals(weights) && model.startsWith("yolo26");
                    List<ScoredBox> boxes = YoloDecoder.decode(new RawOutput(shape, data), end2end, set.conf(), set.iou(), 300);
                    int w = rec.get("orig_shape_hw").get(1).asInt();
                    int h = rec.get("orig_shape_hw").get(0).asInt();
                    String image = rec.get("image").asText();
                    List<Detection> ours = BoxScaling.toOriginal(boxes, Letterbox.full(192, 192).plan(w, h),
                            id -> List.of("circle", "square", "triangle", "cross").get(id));
                    stats.compare(model + " " + weights + " " + image, set.detections(image), ours, 0.9999, 2e-6);
                }
                assertThat(stats.maxCoordDiff()).isLessThan(1e-3);
                assertThat(stats.imagesInSameOrder()).isEqualTo(stats.images());
                System.out.println("[vision-core] decode recorded output0 " + model + " " + field + ": " + stats.summary());
            }
        }
    }
}
