package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.visionplatform.vision.ConcurrentPredictions;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;

class OnnxDetectorTest {

    @Test
    void readsMetadataAndPicksTheFullLetterboxForAFixedShapeModel() {
        try (OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile("yolo26n-shapes4", "model.onnx"))) {
            assertThat(detector.metadata().end2end()).isTrue();
            assertThat(detector.metadata().names()).containsExactly("circle", "square", "triangle", "cross");
            assertThat(detector.letterbox().isMinimal()).isFalse();
            assertThat(detector.letterbox().targetHeight()).isEqualTo(192);
            assertThat(detector.letterbox().targetWidth()).isEqualTo(192);
        }
    }

    @Test
    void loadsFromBytesWithOptionsAndGivesTheSameDetections() throws IOException {
        byte[] model = Files.readAllBytes(Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));
        BgrImage image = ImageDecoder.read(Fixtures.image("predict_03_256x144.jpg"));
        try (OnnxDetector fromPath = OnnxDetector.load(Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));
                OnnxDetector fromBytes = OnnxDetector.load(model, new DetectorOptions(1))) {
            List<Detection> expected = fromPath.predict(image);
            assertThat(expected).isNotEmpty();
            assertThat(fromBytes.predict(image)).isEqualTo(expected);
            assertThat(fromBytes.metadata().end2end()).isFalse();
        }
    }

    @Test
    void servesConcurrentCallsWithTheSameResultsAsSequentialOnes() throws Exception {
        List<String> names = Fixtures.imageNames();
        List<BgrImage> images = new ArrayList<>();
        for (String name : names) {
            images.add(ImageDecoder.read(Fixtures.image(name)));
        }
        try (OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile("yolo11n-shapes4", "model.onnx"),
                new DetectorOptions(1))) {
            ConcurrentPredictions.assertSameAsSequential(detector::predict, images, 6, 4);
        }
    }

    @Test
    void validatesArgumentsAndRefusesUseAfterClose() throws IOException {
        BgrImage image = ImageDecoder.read(Fixtures.image("predict_02_192x192.jpg"));
        OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));
        assertThatThrownBy(() -> detector.predict(image, 1.5, 0.7, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.predict(image, 0.25, -0.1, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.predict(image, 0.25, 0.7, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.forward(new float[10], 192, 192)).isInstanceOf(IllegalArgumentException.class);
        assertThat(detector.predict(image, 0.25, 0.7, 0)).isEmpty();
        detector.close();
        detector.close();
        assertThatThrownBy(() -> detector.predict(image)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesFilesThatAreNotModels() {
        assertThatThrownBy(() -> OnnxDetector.load("not a model".getBytes(), DetectorOptions.defaults()))
                .isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> OnnxDetector.load(Fixtures.image("predict_02_192x192.jpg")))
                .isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> new DetectorOptions(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
