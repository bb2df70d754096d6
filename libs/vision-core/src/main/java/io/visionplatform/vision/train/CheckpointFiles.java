package io.visionplatform.vision.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import io.visionplatform.vision.nn.UltralyticsCheckpoint;
import io.visionplatform.vision.pt.TensorData;
import io.visionplatform.vision.train.optim.ModelEma;

/**
 * Saves the averaged weights as an Ultralytics-style {@code .pt} (float16, as Ultralytics saves its EMA), which the
 * platform's runtime, the ONNX exporter and fine-tuning all read back.
 */
final class CheckpointFiles {

    private CheckpointFiles() {
    }

    static void write(Path file, Map<String, Object> yaml, List<String> names, ModelEma ema,
            long batches, Map<String, Object> trainArgs, int epoch, double bestFitness) throws IOException {
        Map<String, TensorData> state = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : ema.arrays().entrySet()) {
            String name = e.getKey();
            NDArray a = e.getValue();
            state.put(name, TensorData.ofFloat16(a.toFloatArray(), a.getShape().getShape()));
            if (name.endsWith(".bn.running_var")) {
                state.put(name.substring(0, name.length() - "running_var".length()) + "num_batches_tracked",
                        TensorData.ofLong(batches));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("date", LocalDateTime.now().toString());
        extra.put("updates", ema.updates());
        UltralyticsCheckpoint.write(file, new UltralyticsCheckpoint.Spec(yaml, names, state, trainArgs, epoch,
                bestFitness < 0 ? null : bestFitness, true, extra));
    }
}
