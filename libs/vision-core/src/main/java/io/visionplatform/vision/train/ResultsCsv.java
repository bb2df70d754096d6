package io.visionplatform.vision.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/** The per-epoch log in Ultralytics' {@code results.csv} layout: epoch, time, then the metric columns. */
final class ResultsCsv {

    private final Path file;

    ResultsCsv(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        Files.writeString(file, "epoch,time," + String.join(",", Trainer.metricNames()) + "\n",
                StandardCharsets.UTF_8);
    }

    void append(int epoch, double seconds, Map<String, Object> metrics) throws IOException {
        StringBuilder line = new StringBuilder().append(epoch).append(',')
                .append(String.format(Locale.ROOT, "%.3f", seconds));
        for (String name : Trainer.metricNames()) {
            Object v = metrics.get(name);
            line.append(',').append(v instanceof Number n ? String.format(Locale.ROOT, "%.6g", n.doubleValue()) : "");
        }
        Files.writeString(file, line.append('\n'), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
