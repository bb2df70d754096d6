package io.visionplatform.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.detect.Detection;

/**
 * Ultralytics' recorded detections ({@code predictions.json} result sets) and the comparison of ours with them, shared
 * by the parity tests of every detector.
 */
public final class DetectionComparison {

    private DetectionComparison() {
    }

    /** A result set of a model's predictions.json, with its thresholds. */
    public record ResultSet(String model, String key, String weights, double conf, double iou, boolean rect,
            JsonNode images) {

        public List<Detection> detections(String image) {
            JsonNode node = images.get(image);
            assertThat(node).as("%s %s has %s", model, key, image).isNotNull();
            List<Detection> out = new ArrayList<>();
            for (JsonNode d : node.get("detections")) {
                JsonNode xyxy = d.get("xyxy");
                out.add(new Detection(d.get("cls").asInt(), d.get("name").asText(), (float) d.get("conf").asDouble(),
                        (float) xyxy.get(0).asDouble(), (float) xyxy.get(1).asDouble(), (float) xyxy.get(2).asDouble(),
                        (float) xyxy.get(3).asDouble()));
            }
            return out;
        }

        /** {@code [1, 3, h, w]} the reference fed its model for {@code image}. */
        public int[] inputShape(String image) {
            JsonNode s = images.get(image).get("input_shape_nchw");
            return new int[] { s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt() };
        }
    }

    /** The result set {@code key} of {@code model}; fails when it is missing. */
    public static ResultSet resultSet(String model, String key) {
        JsonNode s = Fixtures.json(model, "predictions.json").get("sets").get(key);
        assertThat(s).as("%s has result set %s", model, key).isNotNull();
        return resultSet(model, key, s);
    }

    /** The result sets of {@code model} produced with the given weights file, in recording order. */
    public static List<ResultSet> resultSets(String model, String weights) {
        List<ResultSet> out = new ArrayList<>();
        JsonNode sets = Fixtures.json(model, "predictions.json").get("sets");
        for (Iterator<Map.Entry<String, JsonNode>> it = sets.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().get("weights").asText().equals(weights)) {
                out.add(resultSet(model, e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    private static ResultSet resultSet(String model, String key, JsonNode s) {
        // sets recorded without a rect flag used Ultralytics' default, rectangular letterboxing
        return new ResultSet(model, key, s.get("weights").asText(), s.get("conf").asDouble(), s.get("iou").asDouble(),
                !s.has("rect") || s.get("rect").asBoolean(), s.get("images"));
    }

    public static double iou(Detection a, Detection b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = w * h;
        double union = (double) a.width() * a.height() + (double) b.width() * b.height() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** Running figures over matched detection pairs. */
    public static final class Stats {
        private int pairs;
        private int images;
        private int imagesInSameOrder;
        private double minIou = 1;
        private double maxConfDiff;
        private double maxCoordDiff;

        /**
         * Each expected detection, in order, takes the unmatched one of ours with the same class and the highest IoU.
         * Asserts equal counts, same class name, IoU >= requiredIou and |conf diff| <= maxConf.
         */
        public void compare(String what, List<Detection> expected, List<Detection> ours, double requiredIou,
                double maxConf) {
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

        public int pairs() {
            return pairs;
        }

        public int images() {
            return images;
        }

        public int imagesInSameOrder() {
            return imagesInSameOrder;
        }

        public double minIou() {
            return minIou;
        }

        public double maxConfDiff() {
            return maxConfDiff;
        }

        public double maxCoordDiff() {
            return maxCoordDiff;
        }

        public String summary() {
            return String.format("%d detections over %d images, min IoU %.6f, max |dconf| %.2g, max |dxyxy| %.2g px, "
                    + "same order in %d/%d images", pairs, images, minIou, maxConfDiff, maxCoordDiff, imagesInSameOrder,
                    images);
        }
    }
}
