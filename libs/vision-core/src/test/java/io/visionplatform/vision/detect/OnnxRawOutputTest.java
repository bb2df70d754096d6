package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.RecordedOutputs;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.LetterboxedImage;

/** Our tensor through ONNX Runtime gives the {@code output0} Ultralytics recorded (6 decimals). */
class OnnxRawOutputTest {

    @Test
    void forwardPassMatchesTheRecordedOutput() throws IOException {
        for (String model : Fixtures.MODELS) {
            try (OnnxDetector detector = OnnxDetector.load(Fixtures.modelFile(model, "model.onnx"))) {
                for (JsonNode rec : Fixtures.json(model, "raw_output.json").get("images")) {
                    assertThat(rec.get("model").asText()).isEqualTo("model.onnx");
                    String image = rec.get("image").asText();
                    LetterboxedImage input = detector.letterbox().apply(ImageDecoder.read(Fixtures.image(image)));
                    RawOutput out = detector.forward(input.toTensor(), input.info().inputHeight(), input.info().inputWidth());

                    JsonNode values = RecordedOutputs.output0Matching(rec, out);
                    double maxDiff = 0;
                    int worst = -1;
                    for (int i = 0; i < out.data().length; i++) {
                        double diff = Math.abs(out.data()[i] - values.get(i).asDouble());
                        if (diff > maxDiff) {
                            maxDiff = diff;
                            worst = i;
                        }
                    }
                    System.out.printf("[vision-core] raw output0 %s %s: %d values, max |diff| %.3g (at %d; 6-dp rounding "
                            + "alone allows 5e-7)%n", model, image, out.data().length, maxDiff, worst);
                    assertThat(maxDiff).as("%s %s raw output0 max |diff| (at %d)", model, image, worst).isLessThan(1e-3);
                }
            }
        }
    }
}
