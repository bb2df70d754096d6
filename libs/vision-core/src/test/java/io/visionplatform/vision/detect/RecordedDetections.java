package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;

/** Reads Ultralytics' recorded detections and compares ours with them. */
final class RecordedDetections {

    /** A result set in a model's predictions.json, with its thresholds. */
    record ResultSet(String model, String key, String weights, double conf, double iou, JsonNode images) {

        List<Detection> detections(String image) {
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
    }

    private RecordedDetections() {
    }

    /** The result sets of {@code model} produced with the given weights file. */
    static List<ResultSet> sets(String model, String weights) {
        List<ResultSet> out = new ArrayList<>();
        JsonNode sets = Fixtures.json(model, "predictions.json").get("sets");
        for (Iterator<Map.Entry<String, JsonNode>> it = sets.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            if (s.get("weights").asText().equals(weights)) {
                out.add(new ResultSet(model, e.getKey(), weights, s.get("conf").asDouble(), s.get("iou").asDouble(),
                        s.get("images")));
            }
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

    /** Running figures over all matched pairs. */
    static final class Stats {
        int pairs;
        int images;
        int imagesInSameOrder;
        double minIou = 1;
        double maxConfDiff;
        double maxCoordDiff;

        /**
         * Matches {@code ours} to {@code expected} greedily: each expected detection, in order, takes the unmatched one of
         * ours with the same class and the highest IoU. Asserts equal counts, IoU >= minIou and |conf diff| <= maxConf.
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
