package io.visionplatform.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.nn.YoloArchitecture;
import io.visionplatform.vision.train.data.AugmentConfig;
import io.visionplatform.vision.train.data.Batch;
import io.visionplatform.vision.train.data.TrainLoader;
import io.visionplatform.vision.train.data.TrainingData;
import io.visionplatform.vision.train.loss.DetectionLoss;
import io.visionplatform.vision.train.nn.ParameterStore;
import io.visionplatform.vision.train.nn.TrainableNetwork;
import io.visionplatform.vision.train.optim.Optimizer;

/**
 * Gradients reach the parameters and repeated steps on one batch teach the network that batch: the network, loss,
 * assigner and optimizer are wired together correctly (a sign error or a dead gradient anywhere fails this).
 */
class OverfitOneBatchTest {

    private static final int SIZE = 96;
    private static final int STEPS = 80;

    @TempDir
    Path work;

    @Test
    void stepsOnOneBatchLearnIt() throws Exception {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        TrainingData data = TrainingData.load(Fixtures.dir().resolve("dataset/data.yaml").toString(), work);
        YoloArchitecture arch = YoloArchitecture.parse(Architectures.definition("yolov8n.yaml", 4));
        Batch batch;
        try (TrainLoader loader = new TrainLoader(data.train().subList(0, 8), AugmentConfig.none(), SIZE, 8, 0, 0)) {
            batch = loader.epoch(0, false).next();
        }
        try (NDManager base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                ParameterStore store = new ParameterStore(base.newSubManager(), 0)) {
            TrainableNetwork network = TrainableNetwork.build(arch, store);
            DetectionLoss loss = new DetectionLoss(4, network.regMax(), network.strides(), 7.5, 0.5, 1.5);
            Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, store, 0.9, 0.0);
            for (int g = 0; g < 3; g++) {
                optimizer.learningRate(g, 0.002);
            }
            float[] losses = new float[STEPS];
            for (int i = 0; i < STEPS; i++) {
                try (NDManager scope = store.manager().newSubManager();
                        GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray input = scope.create(batch.images(), new Shape(batch.size(), 3, SIZE, SIZE));
                    DetectionLoss.Result l = loss.compute(network.forward(store::get, true, input), batch);
                    collector.backward(l.total());
                    losses[i] = l.box() + l.cls() + l.dfl();
                    if (i == 0) {
                        assertThat(store.get("model.0.conv.weight").getGradient().abs().sum().getFloat())
                                .as("gradient of the first convolution").isGreaterThan(0f);
                        assertThat(store.get("model.22.cv3.0.2.bias").getGradient().abs().sum().getFloat())
                                .as("gradient of a class bias").isGreaterThan(0f);
                    }
                }
                optimizer.step();
            }
            // the first steps are skipped: with near-zero overlaps at initialisation the normalised loss starts low
            double early = mean(losses, 5, 15);
            double late = mean(losses, STEPS - 10, STEPS);
            assertThat(late).as("loss of the last 10 steps vs steps 5..14 (%s)", early).isLessThan(early * 0.6);
        }
    }

    private static double mean(float[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
