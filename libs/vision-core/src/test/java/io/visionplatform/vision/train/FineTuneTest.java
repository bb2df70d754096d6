package io.visionplatform.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.pt.Checkpoint;

/**
 * Fine-tuning the fixture YOLOv8n from its {@code best.pt} on its own data keeps its accuracy: every tensor, BatchNorm
 * statistics included, lands in training form where the network expects it (a wrong name, layout or BatchNorm
 * setting collapses the mAP at the first validation).
 */
class FineTuneTest {

    @TempDir
    Path work;

    @Test
    void fineTuningFromTheFixtureCheckpointKeepsItsMap() throws Exception {
        Path weights = Fixtures.modelFile("yolov8n-shapes4", "best.pt");
        Path data = Fixtures.dir().resolve("dataset/data.yaml");
        TrainConfig config = TrainConfig.defaults(weights.toString(), data.toString(), 2, 192, work).withBatch(8);
        List<String> lines = new ArrayList<>();
        TrainListener listener = (event, payload) -> {
            if ("console_output".equals(event)) {
                lines.add(String.valueOf(payload.get("content")));
            }
        };

        TrainResult result = new Trainer(config, listener, () -> false, Device.cpu()).run();

        assertThat(lines).anyMatch(l -> l.contains("tensors from the checkpoint (0 re-initialised"));
        double map5095 = ((Number) result.bestMetrics().get("metrics/mAP50-95(B)")).doubleValue();
        double map50 = ((Number) result.bestMetrics().get("metrics/mAP50(B)")).doubleValue();
        // the fixture reaches 0.97 / 0.82 on its full val set; a broken load gives ~0
        assertThat(map50).isGreaterThan(0.85);
        assertThat(map5095).isGreaterThan(0.65);
    }

    @Test
    void anotherClassCountReinitialisesOnlyTheClassOutputs() throws Exception {
        // the fixture subset relabelled to two classes: circles and squares kept, the other shapes dropped
        Path dataset = work.resolve("two-classes");
        Path source = Fixtures.dir().resolve("dataset");
        for (String split : List.of("train", "val")) {
            Path images = Files.createDirectories(dataset.resolve("images").resolve(split));
            Path labels = Files.createDirectories(dataset.resolve("labels").resolve(split));
            try (var files = Files.list(source.resolve("images").resolve(split))) {
                for (Path image : files.limit(8).toList()) {
                    Files.copy(image, images.resolve(image.getFileName()));
                    String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                    Path label = source.resolve("labels").resolve(split).resolve(stem + ".txt");
                    List<String> kept = Files.readAllLines(label).stream()
                            .filter(l -> l.startsWith("0 ") || l.startsWith("1 "))
                            .toList();
                    Files.write(labels.resolve(stem + ".txt"), kept);
                }
            }
        }
        Files.writeString(dataset.resolve("data.yaml"),
                "train: images/train\nval: images/val\nnames:\n  0: circle\n  1: square\n");
        Path weights = Fixtures.modelFile("yolov8n-shapes4", "best.pt");
        TrainConfig config = TrainConfig.defaults(weights.toString(), dataset.resolve("data.yaml").toString(), 1, 64,
                work.resolve("run")).withBatch(8);
        List<String> lines = new ArrayList<>();
        TrainResult result = new Trainer(config, (event, payload) -> {
            if ("console_output".equals(event)) {
                lines.add(String.valueOf(payload.get("content")));
            }
        }, () -> false, Device.cpu()).run();

        // the last 1x1 conv of each of the three class branches: weight and bias
        assertThat(lines).anyMatch(l -> l.contains("(6 re-initialised"));
        assertThat(Checkpoint.read(result.best()).names()).containsExactly("circle",
                "square");
    }
}
