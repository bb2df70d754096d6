package io.visionplatform.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.visionplatform.vision.Fixtures;

/** Fixture access for the export tests: exported models (built once per run) and output comparisons. */
final class OnnxFixtures {

    /** A fixed date, so that the same checkpoint exports to the same bytes. */
    static final String DATE = "2026-11-28T20:56:44.234299";

    private static final Map<String, byte[]> EXPORTS = new ConcurrentHashMap<>();

    private OnnxFixtures() {
    }

    /** The model's default export (its own head, its imgsz), with {@link #DATE}. */
    static byte[] export(String model) {
        return EXPORTS.computeIfAbsent(model,
                m -> OnnxExporter.toBytes(Fixtures.checkpoint(m), ExportOptions.defaults().withDate(DATE)));
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
}
