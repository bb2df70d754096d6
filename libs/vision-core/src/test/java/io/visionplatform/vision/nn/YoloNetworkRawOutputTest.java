package io.visionplatform.vision.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.RecordedOutputs;
import io.visionplatform.vision.detect.RawOutput;

/**
 * Our network, fed the exact 192x192 tensor Ultralytics recorded (same sha256), gives the recorded raw
 * {@code output0} of the ONNX export within 1e-3.
 */
class YoloNetworkRawOutputTest {

    private static final double TOLERANCE = 1e-3;

    @Test
    void yolov8AndYolo11MatchTheRecordedOutputElementByElement() throws IOException {
        for (String model : new String[] { "yolov8n-shapes4", "yolo11n-shapes4" }) {
            YoloNetwork net = NnFixtures.network(model);
            for (JsonNode rec : Fixtures.json(model, "raw_output.json").get("images")) {
                RawOutput out = forwardRecordedInput(net, rec, YoloNetwork.Head.ONE_TO_MANY);
                double max = RecordedOutputs.maxDiff(rec, out);
                System.out.printf("[nn] raw output %s %s: %d values, max |diff| %.3g%n", model, rec.get("image").asText(),
                        out.data().length, max);
                assertThat(max).isLessThan(TOLERANCE);
            }
        }
    }

    /** YOLO26's one-to-many branches (the {@code end2end=False} export, [1, 8, 756]). */
    @Test
    void yolo26OneToManyHeadMatchesTheEnd2endFalseExport() throws IOException {
        String model = "yolo26n-shapes4";
        YoloNetwork net = NnFixtures.network(model);
        for (JsonNode rec : Fixtures.json(model, "raw_output.json").get("images_end2end_false")) {
            RawOutput out = forwardRecordedInput(net, rec, YoloNetwork.Head.ONE_TO_MANY);
            double max = RecordedOutputs.maxDiff(rec, out);
            System.out.printf("[nn] raw output %s (one-to-many head) %s: %d values, max |diff| %.3g%n", model,
                    rec.get("image").asText(), out.data().length, max);
            assertThat(max).isLessThan(TOLERANCE);
        }
    }

    /**
     * YOLO26's end-to-end output [1, 300, 6]: rows are top-k by score. Far down the list (scores ~3.5e-4) several
     * scores agree to 1e-7, so which of two such rows comes first depends on float rounding; the recording itself notes
     * that PyTorch and ORT order them differently from row 246 / 251 on. So: the score column must match row by row;
     * every row must match, all 6 values within 1e-3, a recorded row of the same score (within 1e-5), each used once;
     * and all rows down to score 1e-3 must match in place.
     */
    @Test
    void yolo26EndToEndOutputMatchesUpToTheOrderOfTiedScores() throws IOException {
        String model = "yolo26n-shapes4";
        YoloNetwork net = NnFixtures.network(model);
        for (JsonNode rec : Fixtures.json(model, "raw_output.json").get("images")) {
            RawOutput out = forwardRecordedInput(net, rec, YoloNetwork.Head.ONE_TO_ONE);
            JsonNode recorded = rec.get("outputs").get(0);
            assertThat(out.shape()).containsExactly(1, 300, 6);
            JsonNode values = recorded.get("data_flat_row_major_6dp");
            float[] ours = out.data();
            int rows = 300;
            double maxScoreDiff = 0;
            for (int r = 0; r < rows; r++) {
                maxScoreDiff = Math.max(maxScoreDiff, Math.abs(ours[r * 6 + 4] - values.get(r * 6 + 4).asDouble()));
            }
            assertThat(maxScoreDiff).as("sorted score column").isLessThan(TOLERANCE);

            boolean[] used = new boolean[rows];
            int inPlace = 0;
            int leading = -1;
            double maxMatched = 0;
            double maxLeading = 0;
            for (int r = 0; r < rows; r++) {
                int match = -1;
                double matchDiff = Double.MAX_VALUE;
                for (int q = 0; q < rows; q++) {
                    if (used[q] || Math.abs(values.get(q * 6 + 4).asDouble() - ours[r * 6 + 4]) > 1e-5) {
                        continue;
                    }
                    double d = rowDiff(ours, r, values, q);
                    if (d < matchDiff) {
                        matchDiff = d;
                        match = q;
                    }
                }
                assertThat(match).as("%s %s row %d (score %s) has a recorded row of equal score", model,
                        rec.get("image").asText(), r, ours[r * 6 + 4]).isGreaterThanOrEqualTo(0);
                assertThat(matchDiff).as("%s %s row %d vs recorded row %d", model, rec.get("image").asText(), r, match)
                        .isLessThan(TOLERANCE);
                used[match] = true;
                maxMatched = Math.max(maxMatched, matchDiff);
                if (match == r) {
                    inPlace++;
                }
                if (leading < 0 && rowDiff(ours, r, values, r) >= TOLERANCE) {
                    leading = r;
                }
                if (leading < 0) {
                    maxLeading = Math.max(maxLeading, rowDiff(ours, r, values, r));
                }
            }
            // the order may only differ in the low-score tail: every row scoring 1e-3 or more is in place
            int prefix = leading < 0 ? rows : leading;
            assertThat(prefix == rows || ours[prefix * 6 + 4] < 1e-3).as("%s %s first row out of place: %d", model,
                    rec.get("image").asText(), prefix).isTrue();
            System.out.printf("[nn] raw output %s %s: rows 0-%d match in place, max |diff| %.3g; all 300 rows match a "
                    + "recorded row of equal score (%d in place), max |diff| %.3g; score column max |diff| %.3g%n", model,
                    rec.get("image").asText(), (leading < 0 ? rows : leading) - 1, maxLeading, inPlace, maxMatched,
                    maxScoreDiff);
        }
    }

    private static double rowDiff(float[] ours, int r, JsonNode values, int q) {
        double d = 0;
        for (int j = 0; j < 6; j++) {
            d = Math.max(d, Math.abs(ours[r * 6 + j] - values.get(q * 6 + j).asDouble()));
        }
        return d;
    }

    /** Rebuilds the recorded 192x192 input with our letterbox, checks its sha256, and runs it. */
    static RawOutput forwardRecordedInput(YoloNetwork net, JsonNode rec, YoloNetwork.Head head) throws IOException {
        return net.forward(RecordedOutputs.input(rec), 192, 192, head);
    }
}
