package io.visionplatform.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.pt.Checkpoint;

/** A worker JVM told to stop (SIGTERM) mid-epoch exits within 10 s and leaves a loadable partial checkpoint. */
class CancelWorkerTest {

    @TempDir
    Path work;

    @Test
    void sigtermMidEpochStopsWithinTenSecondsWithAPartialLastCheckpoint() throws Exception {
        Path data = Fixtures.dir().resolve("dataset/data.yaml");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                TrainWorker.class.getName(), "--model", "yolov8n.yaml", "--data", data.toString(), "--epochs", "50",
                "--imgsz", "160", "--batch", "4", "--device", "cpu", "--threads", "1", "--workdir", work.toString());
        Process worker = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("worker.log").toFile())
                .start();
        try {
            Path state = work.resolve("worker.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(state) && Files.readString(state).contains("\"running\""))
                    && System.nanoTime() < deadline && worker.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(worker.isAlive()).as("worker running; log:%n%s", log()).isTrue();
            // a few batches into the first epoch
            Thread.sleep(4000);
            long stop = System.nanoTime();
            worker.destroy();
            assertThat(worker.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s; log:%n%s", log()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stop)).isLessThan(10);
        } finally {
            worker.destroyForcibly();
        }
        Path last = work.resolve("weights").resolve("last.pt");
        assertThat(last).as("partial checkpoint; log:%n%s", log()).exists();
        assertThat(Checkpoint.read(last).names()).containsExactly("circle", "square", "triangle", "cross");
        assertThat(Files.readString(work.resolve("worker.json"))).contains("\"cancelled\"");
        assertThat(log()).contains("cancelled during epoch");
    }

    private String log() {
        try {
            File f = work.resolve("worker.log").toFile();
            return f.exists() ? Files.readString(f.toPath()) : "(no log)";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
