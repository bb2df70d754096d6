package io.visionplatform.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.nn.TorchNetworkDetector;
import io.visionplatform.vision.pt.Checkpoint;

/** Two short epochs from scratch on the fixture subset: the loss falls and the files load in our runtimes. */
class TrainerSmokeTest {

    @TempDir
    Path work;

    @Test
    void twoEpochsFromScratchLowerTheLossAndWriteLoadableFiles() throws Exception {
        Path data = Fixtures.dir().resolve("dataset/data.yaml");
        // one optimizer step per batch and no warmup, so two epochs are enough to see the loss fall
        TrainConfig config = TrainConfig.defaults("yolov8n.yaml", data.toString(), 2, 160, work)
                .withBatch(8)
                .withNbs(8)
                .withWarmupEpochs(0)
                .withOptimizer("AdamW", 0.001);
        List<Map<String, Object>> epochs = new ArrayList<>();
        List<String> events = new ArrayList<>();
        TrainListener listener = (event, payload) -> {
            events.add(event);
            if ("epoch_end".equals(event)) {
                epochs.add(payload);
            }
        };

        TrainResult result = new Trainer(config, listener, () -> false, Device.cpu()).run();

        assertThat(result.status()).isEqualTo("completed");
        assertThat(result.epochsDone()).isEqualTo(2);
        assertThat(events).startsWith("console_output").contains("training_started", "epoch_end")
                .endsWith("training_complete");
        assertThat(epochs).hasSize(2);
        assertThat(totalLoss(epochs.get(1))).isLessThan(totalLoss(epochs.get(0)));
        assertThat(epochs.get(0)).containsKeys("epoch", "metrics", "fitness", "best_fitness", "modelInfo");
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) epochs.get(0).get("metrics");
        assertThat(metrics).containsKeys("train/box_loss", "train/cls_loss", "train/dfl_loss", "metrics/precision(B)",
                "metrics/recall(B)", "metrics/mAP50(B)", "metrics/mAP50-95(B)", "val/box_loss", "val/cls_loss",
                "val/dfl_loss", "lr/pg0", "lr/pg1", "lr/pg2");

        assertThat(result.best()).exists();
        assertThat(result.last()).exists();
        assertThat(work.resolve("results.csv")).content().hasLineCount(3);
        Checkpoint best = Checkpoint.read(result.best());
        assertThat(best.names()).containsExactly("circle", "square", "triangle", "cross");
        assertThat(best.stride()).isEqualTo(32);
        float[] input = new float[3 * 160 * 160];
        java.util.Arrays.fill(input, 0.5f);
        try (TorchNetworkDetector torch = TorchNetworkDetector.load(result.best(), Device.cpu());
                OnnxDetector onnx = OnnxDetector.load(result.bestOnnx())) {
            RawOutput fromTorch = torch.network().forward(input, 160, 160);
            RawOutput fromOnnx = onnx.forward(input, 160, 160);
            assertThat(fromTorch.shape()).containsExactly(1, 8, 20 * 20 + 10 * 10 + 5 * 5);
            assertThat(fromOnnx.shape()).containsExactly(fromTorch.shape());
            for (int i = 0; i < fromTorch.data().length; i++) {
                assertThat(fromOnnx.data()[i]).isCloseTo(fromTorch.data()[i],
                        org.assertj.core.data.Offset.offset(1e-2f + Math.abs(fromTorch.data()[i]) * 1e-3f));
            }
        }
        assertThat(Files.size(result.bestOnnx())).isGreaterThan(1_000_000);
    }

    private static double totalLoss(Map<String, Object> epoch) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) epoch.get("metrics");
        return ((Number) m.get("train/box_loss")).doubleValue() + ((Number) m.get("train/cls_loss")).doubleValue()
                + ((Number) m.get("train/dfl_loss")).doubleValue();
    }
}
