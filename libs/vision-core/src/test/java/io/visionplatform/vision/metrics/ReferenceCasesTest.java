package io.visionplatform.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code metrics/reference-cases.json}: seeded synthetic images (ties in confidence and in IoU, crowded images with up
 * to 28 candidate pairs, images without labels or predictions, a class with predictions but no labels) and what
 * Ultralytics' own {@code box_iou}, {@code match_predictions}, {@code ap_per_class} and {@code Metric} means returned
 * for them under numpy 1.24.2 / torch 1.13. Everything must agree exactly (to 1e-12), including the per-image
 * true-positive matrices; the confidence ties make the result depend on numpy's unstable argsort (with a stable sort
 * the "mixed" case's mAP50-95 would be 0.25572 instead of 0.25567).
 */
class ReferenceCasesTest {

    private static final double TOL = 1e-12;

    @Test
    void matchesUltralyticsOnTheReferenceCases() throws IOException {
        JsonNode root;
        try (InputStream in = ReferenceCasesTest.class.getResourceAsStream("/metrics/reference-cases.json")) {
            assertThat(in).as("test resource metrics/reference-cases.json").isNotNull();
            root = new ObjectMapper().readTree(in);
        }
        int cases = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("cases").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> c = it.next();
            String name = c.getKey();
            JsonNode expected = c.getValue().get("expected");
            MetricsAccumulator acc = new MetricsAccumulator();
            int image = 0;
            int predictions = 0;
            for (JsonNode im : c.getValue().get("images")) {
                float[][] gtBoxes = boxes(im.get("gt_boxes"));
                int[] gtCls = ints(im.get("gt_cls"));
                float[][] predBoxes = boxes(im.get("pred_boxes"));
                int[] predCls = ints(im.get("pred_cls"));
                float[] conf = new float[predCls.length];
                for (int i = 0; i < conf.length; i++) {
                    conf[i] = (float) im.get("pred_conf").get(i).asDouble();
                }
                boolean[][] tp = gtBoxes.length == 0 || predBoxes.length == 0 ? new boolean[predBoxes.length][10]
                        : IouMatcher.match(predCls, gtCls, BoxIou.matrix(gtBoxes, predBoxes), IouMatcher.cocoThresholds());
                JsonNode expectedTp = expected.get("tp").get(image);
                for (int d = 0; d < tp.length; d++) {
                    for (int t = 0; t < 10; t++) {
                        assertThat(tp[d][t]).as("%s image %d prediction %d threshold %d", name, image, d, t)
                                .isEqualTo(expectedTp.get(d).get(t).asInt() == 1);
                    }
                }
                acc.add(gtBoxes, gtCls, predBoxes, conf, predCls);
                image++;
                predictions += predCls.length;
            }
            ValidationMetrics m = acc.compute(5);
            assertThat(m.precision()).as(name + " P").isCloseTo(expected.get("mp").asDouble(),
                    within(TOL));
            assertThat(m.recall()).as(name + " R").isCloseTo(expected.get("mr").asDouble(),
                    within(TOL));
            assertThat(m.map50()).as(name + " mAP50").isCloseTo(expected.get("map50").asDouble(),
                    within(TOL));
            assertThat(m.map75()).as(name + " mAP75").isCloseTo(expected.get("map75").asDouble(),
                    within(TOL));
            assertThat(m.map5095()).as(name + " mAP50-95").isCloseTo(expected.get("map").asDouble(),
                    within(TOL));
            JsonNode classes = expected.get("classes");
            for (int k = 0; k < classes.size(); k++) {
                int cls = classes.get(k).asInt();
                assertThat(m.classPrecision()[cls]).as(name + " P class " + cls)
                        .isCloseTo(expected.get("class_p").get(k).asDouble(), within(TOL));
                assertThat(m.classRecall()[cls]).as(name + " R class " + cls)
                        .isCloseTo(expected.get("class_r").get(k).asDouble(), within(TOL));
                assertThat(m.classAp50()[cls]).as(name + " AP50 class " + cls)
                        .isCloseTo(expected.get("class_ap50").get(k).asDouble(), within(TOL));
                assertThat(m.classAp5095()[cls]).as(name + " AP50-95 class " + cls)
                        .isCloseTo(expected.get("class_ap").get(k).asDouble(), within(TOL));
            }
            if (classes.size() > 0) {
                assertThat(m.maxF1Confidence()).as(name + " max-F1 confidence")
                        .isEqualTo(ApPerClass.px()[expected.get("max_f1_index").asInt()]);
            }
            System.out.printf(java.util.Locale.ROOT,
                    "[metrics] reference case %s: %d images, %d predictions, mAP50-95 %.6f (Ultralytics %.6f)%n", name,
                    image, predictions, m.map5095(), expected.get("map").asDouble());
            cases++;
        }
        assertThat(cases).isEqualTo(5);
    }

    private static float[][] boxes(JsonNode node) {
        float[][] out = new float[node.size()][4];
        for (int i = 0; i < out.length; i++) {
            for (int k = 0; k < 4; k++) {
                out[i][k] = (float) node.get(i).get(k).asDouble();
            }
        }
        return out;
    }

    private static int[] ints(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }
}
