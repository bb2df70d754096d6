package io.visionplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the benchmarks print about the machine they ran on, read from /proc (blank or "?" elsewhere). */
final class Machine {

    private Machine() {
    }

    /** " x <model name>", to follow a core count; empty when unknown. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return " x " + line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "";
    }

    static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return "?";
    }

    /** The 1-minute load average. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The start of the "== machine" block: cores, memory, os (each benchmark adds its own java line). */
    static void printMachine(int cores) {
        System.out.println();
        System.out.println("== machine");
        System.out.printf("  cpus (nproc)      : %d%s%n", cores, cpuModel());
        System.out.printf("  memory            : %s%n", memTotal());
        System.out.printf("  os                : %s %s (%s)%n", System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    /** The java line with this JVM's heap, then the load average: the end of the block for a single-JVM run. */
    static void printJavaAndLoad() {
        System.out.printf("  java              : %s %s (%s), -Xmx%d MB%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("  load average      : %s (1 min) at start%n", loadAverage());
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
