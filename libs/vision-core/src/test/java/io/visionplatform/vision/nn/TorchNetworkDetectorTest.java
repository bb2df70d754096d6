package io.visionplatform.vision.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.vision.ConcurrentPredictions;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.LetterboxedImage;

class TorchNetworkDetectorTest {

    @Test
    void loadsFromAPathAndPredictsWithUltralyticsDefaults() throws IOException {
        try (TorchNetworkDetector detector = TorchNetworkDetector.load(Fixtures.modelFile("yolo26n-shapes4", "best.pt"))) {
            assertThat(detector.endToEnd()).isTrue();
            assertThat(detector.letterbox().isMinimal()).isTrue();
            assertThat(detector.letterbox().targetHeight()).isEqualTo(192);
            assertThat(detector.className(3)).isEqualTo("cross");
            assertThat(detector.className(7)).isEqualTo("7");
            BgrImage image = ImageDecoder.read(Fixtures.image("predict_03_256x144.jpg"));
            List<Detection> found = detector.predict(image);
            assertThat(found).isNotEmpty().allSatisfy(d -> assertThat(d.confidence()).isGreaterThan(0.25f));
            assertThat(detector.predict(image, 0.25, 0.7, 1)).containsExactly(found.get(0));
            LetterboxedImage input = detector.letterbox().apply(image);
            RawOutput raw = detector.forward(input.toTensor(), input.info().inputHeight(), input.info().inputWidth());
            assertThat(raw.shape()).containsExactly(1, 300, 6);
        }
    }

    @Test
    void servesConcurrentCallsWithTheSameResultsAndLeaksNoArrays() throws Exception {
        List<BgrImage> images = new ArrayList<>();
        for (String name : Fixtures.imageNames()) {
            images.add(ImageDecoder.read(Fixtures.image(name)));
        }
        try (TorchNetworkDetector detector = TorchNetworkDetector.load(Fixtures.checkpoint("yolo11n-shapes4"), null)) {
            int weights = detector.network().managedArrays();
            detector.predict(images.get(0));
            assertThat(detector.network().managedArrays()).as("arrays left after predict").isEqualTo(weights);
            ConcurrentPredictions.assertSameAsSequential(detector::predict, images, 4, 3);
            assertThat(detector.network().managedArrays()).as("arrays left after concurrent predicts").isEqualTo(weights);
        }
    }

    @Test
    void validatesArgumentsAndRefusesUseAfterClose() throws IOException {
        BgrImage image = ImageDecoder.read(Fixtures.image("predict_02_192x192.jpg"));
        TorchNetworkDetector detector = TorchNetworkDetector.load(Fixtures.checkpoint("yolov8n-shapes4"), null);
        assertThatThrownBy(() -> detector.predict(image, 1.5, 0.7, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.predict(image, 0.25, -0.1, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.predict(image, 0.25, 0.7, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.forward(new float[10], 192, 192)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.forward(new float[3 * 100 * 100], 100, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
        assertThatThrownBy(() -> detector.network().forward(new float[3 * 64 * 64], 64, 64, YoloNetwork.Head.ONE_TO_ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ONE_TO_ONE");
        assertThat(detector.predict(image, 0.25, 0.7, 0)).isEmpty();
        detector.close();
        detector.close();
        assertThatThrownBy(() -> detector.predict(image)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesFilesThatAreNotCheckpoints(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.pt"), "not a checkpoint".getBytes());
        assertThatThrownBy(() -> TorchNetworkDetector.load(junk)).isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> TorchNetworkDetector.load(dir.resolve("missing.pt"))).isInstanceOf(ModelLoadException.class);
    }

    /** Small end-to-end outputs when there are fewer anchors than max_det: k = min(300, N), as Ultralytics. */
    @Test
    void endToEndOutputHasAtMostOneRowPerAnchor() {
        YoloNetwork net = NnFixtures.network("yolo26n-shapes4");
        RawOutput out = net.forward(new float[3 * 64 * 64], 64, 64);
        assertThat(out.shape()).containsExactly(1, 64 + 16 + 4, 6);
        RawOutput many = net.forward(new float[3 * 64 * 64], 64, 64, YoloNetwork.Head.ONE_TO_MANY);
        assertThat(many.shape()).containsExactly(1, 8, 84);
    }

    @Test
    void printsForwardLatency() throws IOException {
        BgrImage image = ImageDecoder.read(Fixtures.image("predict_00_320x120.jpg"));
        for (String model : Fixtures.MODELS) {
            YoloNetwork net = NnFixtures.network(model);
            StringBuilder line = new StringBuilder("[nn] forward latency " + model + " on " + net.device() + ", "
                    + System.getProperty("ai.djl.pytorch.num_threads", "default") + " libtorch thread(s):");
            for (int[] size : new int[][] { { 192, 192 }, { 96, 192 } }) {
                float[] tensor = io.visionplatform.vision.image.Letterbox.full(size[0], size[1]).apply(image).toTensor();
                for (int i = 0; i < 3; i++) {
                    net.forward(tensor, size[0], size[1]);
                }
                long[] ns = new long[15];
                for (int i = 0; i < ns.length; i++) {
                    long t = System.nanoTime();
                    net.forward(tensor, size[0], size[1]);
                    ns[i] = System.nanoTime() - t;
                }
                Arrays.sort(ns);
                line.append(String.format(" %dx%d median %.1f ms (min %.1f)", size[1], size[0], ns[ns.length / 2] / 1e6,
                        ns[0] / 1e6));
            }
            System.out.println(line);
        }
    }
}
