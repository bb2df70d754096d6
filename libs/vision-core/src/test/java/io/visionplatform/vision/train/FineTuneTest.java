package io.visionplatform.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import io.visionplatform.vision.Fixtures;

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

        assertThat(lines).anyMatch(l -> l.contains("tensors from the checkpoint"));
        double map5095 = ((Number) result.bestMetrics().get("metrics/mAP50-95(B)")).doubleValue();
        double map50 = ((Number) result.bestMetrics().get("metrics/mAP50(B)")).doubleValue();
        // the fixture reaches 0.97 / 0.82 on its full val set; a broken load gives ~0
        assertThat(map50).isGreaterThan(0.85);
        assertThat(map5095).isGreaterThan(0.65);
    }
}
