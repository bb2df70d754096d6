package io.visionplatform.bench;

/** Nearest-rank percentiles and means of sorted samples (NaN for none), the rule every predict figure uses. */
final class LatencyStats {

    private LatencyStats() {
    }

    static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[rankIndex(sorted.length, q)];
    }

    static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[rankIndex(sorted.length, q)];
    }

    static double mean(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static int rankIndex(int n, double q) {
        return Math.min(n, Math.max(1, (int) Math.ceil(q * n))) - 1;
    }
}
