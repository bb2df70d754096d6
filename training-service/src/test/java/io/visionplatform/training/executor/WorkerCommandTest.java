package io.visionplatform.training.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.training.TrainingRun;

class WorkerCommandTest {

    @Test
    void theWorkerCommandLineFollowsAdr0007() {
        TrainingRun run = new TrainingRun();
        run.id = "run_1";
        run.modelId = "model_1";
        run.modelSource = "yolov8n.yaml";
        run.dataUrl = "http://127.0.0.1:9000/platform-datasets/d.ndjson?X-Amz-Signature=1";
        run.epochs = 3;
        run.imageSize = 160;
        run.gpuType = "cpu";

        List<String> command = WorkerCommand.java("/jdk/bin/java", "2g", 2, List.of("-Dai.djl.offline=true"),
                "a.jar:b.jar", "io.visionplatform.vision.train.TrainWorker",
                WorkerCommand.workerArgs(run, WorkerCommand.device(run.gpuType), 2, "/runs/run_1"));

        assertThat(command).containsExactly("/jdk/bin/java", "-Xmx2g", "-XX:ActiveProcessorCount=2",
                "-Dai.djl.offline=true", "-cp", "a.jar:b.jar", "io.visionplatform.vision.train.TrainWorker",
                "--model", "yolov8n.yaml", "--data", run.dataUrl, "--epochs", "3", "--imgsz", "160", "--device", "cpu",
                "--threads", "2", "--workdir", "/runs/run_1", "--model-id", "model_1");
        assertThat(WorkerCommand.device("a100")).isEqualTo("cuda");
    }

    @Test
    void aFastJarGivesItsBootAndMainJars(@TempDir Path app) throws IOException {
        Files.createDirectories(app.resolve("lib/boot"));
        Files.createDirectories(app.resolve("lib/main"));
        Files.createFile(app.resolve("lib/boot/boot-a.jar"));
        Files.createFile(app.resolve("lib/main/vision-core.jar"));
        Files.createFile(app.resolve("lib/main/notes.txt"));
        Files.createFile(app.resolve("quarkus-run.jar"));

        String classpath = WorkerClasspath.of(app.resolve("quarkus-run.jar").toString());

        assertThat(classpath.split(File.pathSeparator)).containsExactly(app.resolve("lib/boot/boot-a.jar").toString(),
                app.resolve("lib/main/vision-core.jar").toString());
        assertThat(WorkerClasspath.of("x.jar" + File.pathSeparator + "y.jar"))
                .isEqualTo("x.jar" + File.pathSeparator + "y.jar");
    }
}
