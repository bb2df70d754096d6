package io.visionplatform.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.pt.Checkpoint;

/** Fixture access for the export tests: checkpoints, exported models (built once per run), recorded sets, matching. */
final class OnnxFixtures {

    /** A fixed date, so that the same checkpoint exports to the same bytes. */
    static final String DATE = "2026-11-28T20:56:44.234299";

    private static final Map<String, Checkpoint> CHECKPOINTS = new ConcurrentHashMap<>();
    private static final Map<String, byte[]> EXPORTS = new ConcurrentHashMap<>();

    private OnnxFixtures() {
    }

    static Checkpoint checkpoint(String model) {
        return CHECKPOINTS.computeIfAbsent(model, m -> {
            try {
                return Checkpoint.read(Fixtures.modelFile(m, "best.pt"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The model's default export (its own head, its imgsz), with {@link #DATE}. */
    static byte[] export(String model) {
        return EXPORTS.computeIfAbsent(model,
                m -> OnnxExporter.toBytes(checkpoint(m), ExportOptions.defaults().withDate(DATE)));
    }

    /** The recorded 192x192 input of a raw_output.json entry, rebuilt and checked against its sha256. */
    static float[] recordedInput(JsonNode rec) throws IOException {
        float[] tensor = Letterbox.full(192, 192).apply(ImageDecoder.read(Fixtures.image(rec.get("image").asText())))
                .toTensor();
        ByteBuffer bytes = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(tensor);
        assertThat(Fixtures.sha256(bytes.array())).as("input tensor of %s", rec.get("image").asText())
                .isEqualTo(rec.get("input").get("sha256_float32_le_c_order").asText());
        return tensor;
    }

    static float[] recordedOutput(JsonNode rec) {
        JsonNode values = rec.get("outputs").get(0).get("data_flat_row_major_6dp");
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /**
     * Compares two end-to-end outputs {@code [k, 6]} (rows by descending score) the way the nn tests compare theirs
     * with the recording: near-tied scores may come in another order, so the score column must agree row by row; every
     * row of {@code ours} must match an unused row of {@code expected} with a score within 1e-5, all 6 values within
     * {@code tolerance}; and every row down to the first one out of place must score below 1e-3 from there on.
     *
     * @return {max |diff| of matched rows, rows matched in place, first row out of place (k when none)}
     */
    static double[] compareEndToEnd(String what, float[] ours, float[] expected, double tolerance) {
        assertThat(ours).as(what).hasSameSizeAs(expected);
        int rows = ours.length / 6;
        for (int r = 0; r < rows; r++) {
            assertThat((double) Math.abs(ours[r * 6 + 4] - expected[r * 6 + 4])).as("%s: score of row %d", what, r)
                    .isLessThan(tolerance);
        }
        boolean[] used = new boolean[rows];
        int inPlace = 0;
        int leading = -1;
        double maxMatched = 0;
        for (int r = 0; r < rows; r++) {
            int match = -1;
            double matchDiff = Double.MAX_VALUE;
            for (int q = 0; q < rows; q++) {
                if (used[q] || Math.abs(expected[q * 6 + 4] - ours[r * 6 + 4]) > 1e-5) {
                    continue;
                }
                double d = rowDiff(ours, r, expected, q);
                if (d < matchDiff) {
                    matchDiff = d;
                    match = q;
                }
            }
            assertThat(match).as("%s: row %d (score %s) has a row of equal score", what, r, ours[r * 6 + 4])
                    .isGreaterThanOrEqualTo(0);
            assertThat(matchDiff).as("%s: row %d vs row %d", what, r, match).isLessThan(tolerance);
            used[match] = true;
            maxMatched = Math.max(maxMatched, matchDiff);
            if (match == r) {
                inPlace++;
            }
            if (leading < 0 && rowDiff(ours, r, expected, r) >= tolerance) {
                leading = r;
            }
        }
        int prefix = leading < 0 ? rows : leading;
        assertThat(prefix == rows || ours[prefix * 6 + 4] < 1e-3).as("%s: first row out of place: %d", what, prefix)
                .isTrue();
        return new double[] { maxMatched, inPlace, prefix };
    }

    private static double rowDiff(float[] a, int r, float[] b, int q) {
        double d = 0;
        for (int j = 0; j < 6; j++) {
            d = Math.max(d, Math.abs(a[r * 6 + j] - b[q * 6 + j]));
        }
        return d;
    }

    /** A recorded result set of predictions.json. */
    static List<Detection> recorded(String model, String set, String image) {
        JsonNode node = Fixtures.json(model, "predictions.json").get("sets").get(set);
        assertThat(node).as("%s has result set %s", model, set).isNotNull();
        JsonNode img = node.get("images").get(image);
        assertThat(img).as("%s %s has %s", model, set, image).isNotNull();
        List<Detection> out = new ArrayList<>();
        for (JsonNode d : img.get("detections")) {
            JsonNode xyxy = d.get("xyxy");
            out.add(new Detection(d.get("cls").asInt(), d.get("name").asText(), (float) d.get("conf").asDouble(),
                    (float) xyxy.get(0).asDouble(), (float) xyxy.get(1).asDouble(), (float) xyxy.get(2).asDouble(),
                    (float) xyxy.get(3).asDouble()));
        }
        return out;
    }

    static double iou(Detection a, Detection b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = w * h;
        double union = (double) a.width() * a.height() + (double) b.width() * b.height() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** Running figures over matched detection pairs (the matching of the nn and detect parity tests). */
    static final class Stats {
        int pairs;
        int images;
        int imagesInSameOrder;
        double minIou = 1;
        double maxConfDiff;
        double maxCoordDiff;

        /**
         * Each expected detection, in order, takes the unmatched one of ours with the same class and the highest IoU.
         * Asserts equal counts, same class name, IoU >= requiredIou and |conf diff| <= maxConf.
         */
        void compare(String what, List<Detection> expected, List<Detection> ours, double requiredIou, double maxConf) {
            assertThat(ours).as("%s: number of detections (ours %s, expected %s)", what, ours, expected)
                    .hasSameSizeAs(expected);
            boolean[] used = new boolean[ours.size()];
            boolean sameOrder = true;
            for (int i = 0; i < expected.size(); i++) {
                Detection e = expected.get(i);
                int best = -1;
                double bestIou = -1;
                for (int j = 0; j < ours.size(); j++) {
                    if (!used[j] && ours.get(j).classId() == e.classId()) {
                        double v = iou(e, ours.get(j));
                        if (v > bestIou) {
                            bestIou = v;
                            best = j;
                        }
                    }
                }
                assertThat(best).as("%s: no detection of class %d for expected %s among %s", what, e.classId(), e, ours)
                        .isGreaterThanOrEqualTo(0);
                used[best] = true;
                sameOrder &= best == i;
                Detection o = ours.get(best);
                assertThat(o.className()).as("%s: class name", what).isEqualTo(e.className());
                assertThat(bestIou).as("%s: IoU of %s vs expected %s", what, o, e).isGreaterThanOrEqualTo(requiredIou);
                double confDiff = Math.abs(o.confidence() - e.confidence());
                assertThat(confDiff).as("%s: |conf diff| of %s vs expected %s", what, o, e).isLessThanOrEqualTo(maxConf);
                pairs++;
                minIou = Math.min(minIou, bestIou);
                maxConfDiff = Math.max(maxConfDiff, confDiff);
                maxCoordDiff = Math.max(maxCoordDiff, Math.max(Math.max(Math.abs(o.x1() - e.x1()), Math.abs(o.y1() - e.y1())),
                        Math.max(Math.abs(o.x2() - e.x2()), Math.abs(o.y2() - e.y2()))));
            }
            images++;
            if (sameOrder) {
                imagesInSameOrder++;
            }
        }

        String summary() {
            return String.format("%d detections over %d images, min IoU %.6f, max |dconf| %.2g, max |dxyxy| %.2g px, "
                    + "same order in %d/%d images", pairs, images, minIou, maxConfDiff, maxCoordDiff, imagesInSameOrder,
                    images);
        }
    }
}
