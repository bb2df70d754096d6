package io.visionplatform.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;

/** The inputs and raw {@code output0} tensors Ultralytics recorded in a model's {@code raw_output.json}. */
public final class RecordedOutputs {

    private RecordedOutputs() {
    }

    /** The recorded 192x192 input of a raw_output.json entry, rebuilt with our letterbox and checked by its sha256. */
    public static float[] input(JsonNode rec) throws IOException {
        float[] tensor = Letterbox.full(192, 192).apply(ImageDecoder.read(Fixtures.image(rec.get("image").asText())))
                .toTensor();
        ByteBuffer bytes = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(tensor);
        assertThat(Fixtures.sha256(bytes.array())).as("input tensor of %s", rec.get("image").asText())
                .isEqualTo(rec.get("input").get("sha256_float32_le_c_order").asText());
        return tensor;
    }

    /** The recorded output0 values as float32, row-major. */
    public static float[] output0(JsonNode rec) {
        JsonNode values = rec.get("outputs").get(0).get("data_flat_row_major_6dp");
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }

    /** The recorded output0 values (6 decimals), after checking that {@code out} has its name's shape and size. */
    public static JsonNode output0Matching(JsonNode rec, RawOutput out) {
        JsonNode recorded = rec.get("outputs").get(0);
        assertThat(recorded.get("name").asText()).isEqualTo("output0");
        JsonNode shape = recorded.get("shape");
        assertThat(out.rank()).isEqualTo(shape.size());
        for (int i = 0; i < out.rank(); i++) {
            assertThat(out.dim(i)).isEqualTo(shape.get(i).asInt());
        }
        JsonNode values = recorded.get("data_flat_row_major_6dp");
        assertThat(out.data()).hasSize(values.size());
        return values;
    }

    /** The largest element-wise |difference| between {@code out} and the recorded output0 (shape checked first). */
    public static double maxDiff(JsonNode rec, RawOutput out) {
        JsonNode values = output0Matching(rec, out);
        double max = 0;
        for (int i = 0; i < out.data().length; i++) {
            max = Math.max(max, Math.abs(out.data()[i] - values.get(i).asDouble()));
        }
        return max;
    }
}
