package io.visionplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU ticks from /proc: the whole machine's (busy, total) and the sum of some processes' own ({@code ours}). Taken
 * before and after a step; null where there is no /proc, which makes every share NaN.
 */
record CpuSample(long busy, long total, long ours) {

    static CpuSample take() {
        return take(List.of());
    }

    static CpuSample take(List<Long> pids) {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long ours = 0;
            for (long pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] p = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ours += Long.parseLong(p[11]) + Long.parseLong(p[12]); // utime, stime
                } catch (IOException e) {
                    // gone
                }
            }
            return new CpuSample(total - idle, total, ours);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Share of all CPUs busy between the two samples (every process: platform, stack, this JVM, others). */
    static double busy(CpuSample a, CpuSample b) {
        if (a == null || b == null || b.total <= a.total) {
            return Double.NaN;
        }
        return (double) (b.busy - a.busy) / (b.total - a.total);
    }

    /** Share of all CPUs used by processes other than ours between the two samples. */
    static double othersShare(CpuSample a, CpuSample b) {
        if (a == null || b == null || b.total <= a.total) {
            return Double.NaN;
        }
        return Math.max(0, (double) ((b.busy - a.busy) - (b.ours - a.ours))) / (b.total - a.total);
    }

    /** {@link #othersShare} as e.g. "12%", "?" when unknown. */
    static String othersPercent(CpuSample a, CpuSample b) {
        double v = othersShare(a, b);
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }
}
