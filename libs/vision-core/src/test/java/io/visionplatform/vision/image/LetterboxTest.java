package io.visionplatform.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;

class LetterboxTest {

    private static final Pattern PROBE = Pattern.compile("\\[0,(\\d),(\\d+),(\\d+)]");

    /** The fixture records the tensor's sha256 over float32 little-endian C-order bytes. */
    static byte[] littleEndian(float[] tensor) {
        ByteBuffer buf = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(tensor);
        return buf.array();
    }

    @Test
    void reproducesTheRecordedInputTensorsBitForBit() throws IOException {
        for (String model : Fixtures.MODELS) {
            JsonNode raw = Fixtures.json(model, "raw_output.json");
            for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().startsWith("images")) {
                    continue;
                }
                for (JsonNode rec : field.getValue()) {
                    checkAgainstRecord(model, rec);
                }
            }
        }
    }

    private void checkAgainstRecord(String model, JsonNode rec) throws IOException {
        String name = rec.get("image").asText();
        JsonNode lb = rec.get("letterbox");
        JsonNode input = rec.get("input");
        assertThat(input.get("dtype").asText()).isEqualTo("float32");

        BgrImage image = ImageDecoder.read(Fixtures.image(name));
        assertThat(new int[] { image.height(), image.width() })
                .containsExactly(rec.get("orig_shape_hw").get(0).asInt(), rec.get("orig_shape_hw").get(1).asInt());
        LetterboxedImage boxed = Letterbox.full(lb.get("new_shape_hw").get(0).asInt(), lb.get("new_shape_hw").get(1).asInt())
                .apply(image);
        LetterboxInfo info = boxed.info();

        // Geometry: exactly as recorded.
        assertThat(info.scale()).isEqualTo(lb.get("ratio_r").asDouble());
        assertThat(info.unpaddedWidth()).isEqualTo(lb.get("new_unpad_wh").get(0).asInt());
        assertThat(info.unpaddedHeight()).isEqualTo(lb.get("new_unpad_wh").get(1).asInt());
        assertThat(new int[] { info.padTop(), info.padBottom(), info.padLeft(), info.padRight() }).containsExactly(
                lb.get("pad_top").asInt(), lb.get("pad_bottom").asInt(), lb.get("pad_left").asInt(),
                lb.get("pad_right").asInt());
        assertThat(lb.get("pad_value").asInt()).isEqualTo(Letterbox.PAD_VALUE);

        // Pixels: the letterboxed uint8 image and the float tensor hash the same as the reference's.
        float[] tensor = boxed.toTensor();
        long[] shape = { 1, 3, info.inputHeight(), info.inputWidth() };
        JsonNode recordedShape = input.get("shape");
        for (int i = 0; i < 4; i++) {
            assertThat(shape[i]).isEqualTo(recordedShape.get(i).asLong());
        }
        double maxProbeDiff = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = input.get("probe_values").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> probe = it.next();
            Matcher m = PROBE.matcher(probe.getKey());
            assertThat(m.matches()).as("probe key %s", probe.getKey()).isTrue();
            int c = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            int x = Integer.parseInt(m.group(3));
            float ours = tensor[(c * info.inputHeight() + y) * info.inputWidth() + x];
            maxProbeDiff = Math.max(maxProbeDiff, Math.abs(ours - probe.getValue().asDouble()));
        }
        double sum = 0;
        for (float v : tensor) {
            sum += v;
        }
        System.out.printf("[vision-core] letterbox %s %s: probe max |diff| %.3g, tensor sum %.5f (recorded %.5f)%n",
                model, name, maxProbeDiff, sum, input.get("sum").asDouble());
        assertThat(maxProbeDiff).isLessThan(1e-7);
        assertThat(sum).isCloseTo(input.get("sum").asDouble(), within(1e-3));
        assertThat(Fixtures.sha256(boxed.image().pixels())).as("letterboxed BGR uint8 of %s", name)
                .isEqualTo(rec.get("letterboxed_bgr_uint8_hwc_sha256").asText());
        assertThat(Fixtures.sha256(littleEndian(tensor))).as("input tensor of %s", name)
                .isEqualTo(input.get("sha256_float32_le_c_order").asText());
    }

    @Test
    void inputShapesMatchEveryRecordedResultSet() throws IOException {
        int checked = 0;
        for (String model : Fixtures.MODELS) {
            JsonNode sets = Fixtures.json(model, "predictions.json").get("sets");
            for (Iterator<Map.Entry<String, JsonNode>> it = sets.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> set = it.next();
                JsonNode spec = set.getValue();
                boolean pytorch = spec.get("weights").asText().endsWith(".pt");
                boolean rect = !spec.has("rect") || spec.get("rect").asBoolean();
                // best.pt predicts with the minimal letterbox unless rect=False; static ONNX always gets the full one.
                Letterbox letterbox = pytorch && rect ? Letterbox.minimal(192, 192, 32) : Letterbox.full(192, 192);
                for (Iterator<Map.Entry<String, JsonNode>> images = spec.get("images").fields(); images.hasNext();) {
                    Map.Entry<String, JsonNode> image = images.next();
                    JsonNode orig = image.getValue().get("orig_shape_hw");
                    LetterboxInfo info = letterbox.plan(orig.get(1).asInt(), orig.get(0).asInt());
                    JsonNode nchw = image.getValue().get("input_shape_nchw");
                    assertThat(new int[] { info.inputHeight(), info.inputWidth() })
                            .as("%s %s %s", model, set.getKey(), image.getKey())
                            .containsExactly(nchw.get(2).asInt(), nchw.get(3).asInt());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(3 * 5 * 12 + 12);
    }

    @Test
    void minimalLetterboxPadsToTheStrideOnly() {
        LetterboxInfo wide = Letterbox.minimal(192, 192, 32).plan(320, 120);
        assertThat(wide.scale()).isEqualTo(0.6);
        assertThat(new int[] { wide.inputWidth(), wide.inputHeight(), wide.padTop(), wide.padBottom() })
                .containsExactly(192, 96, 12, 12);
        LetterboxInfo square = Letterbox.minimal(192, 192, 32).plan(192, 192);
        assertThat(new int[] { square.inputWidth(), square.inputHeight() }).containsExactly(192, 192);
    }

    @Test
    void roundingIsPythonsHalfToEven() {
        // 120x300 at 192: w * r = 76.8 -> 77, dw = 57.5 -> left round(57.4) = 57, right round(57.6) = 58
        LetterboxInfo tall = Letterbox.full(192, 192).plan(120, 300);
        assertThat(new int[] { tall.unpaddedWidth(), tall.padLeft(), tall.padRight() }).containsExactly(77, 57, 58);
        // 100x40 into 64 wide, 65 high -> r = 0.64: 40 * 0.64 = 25.6 -> 26; dh = 39 / 2 -> top 19, bottom 20
        LetterboxInfo odd = Letterbox.full(65, 64).plan(100, 40);
        assertThat(new int[] { odd.unpaddedHeight(), odd.padTop(), odd.padBottom() }).containsExactly(26, 19, 20);
        // 5 * 0.5 = 2.5 rounds to 2 (half to even), not 3
        LetterboxInfo half = Letterbox.full(5, 10).plan(20, 5);
        assertThat(half.unpaddedWidth()).isEqualTo(10);
        assertThat(half.unpaddedHeight()).isEqualTo(2);
        // 7 * 0.5 = 3.5 rounds to 4
        assertThat(Letterbox.full(7, 10).plan(20, 7).unpaddedHeight()).isEqualTo(4);
    }

    @Test
    void upscalesSmallImagesAndPadsWith114() {
        byte[] px = new byte[2 * 1 * 3];
        java.util.Arrays.fill(px, (byte) 10);
        LetterboxedImage out = Letterbox.full(8, 8).apply(new BgrImage(2, 1, px));
        assertThat(out.info().scale()).isEqualTo(4.0);
        assertThat(new int[] { out.info().unpaddedWidth(), out.info().unpaddedHeight(), out.info().padTop(),
                out.info().padBottom() }).containsExactly(8, 4, 2, 2);
        assertThat(out.image().get(0, 0, 0)).isEqualTo(114);
        assertThat(out.image().get(7, 7, 2)).isEqualTo(114);
        assertThat(out.image().get(3, 3, 1)).isEqualTo(10);
        float[] tensor = out.toTensor();
        assertThat(tensor).hasSize(3 * 8 * 8);
        assertThat(tensor[0]).isEqualTo(114 / 255f);
        assertThat(tensor[3 * 8 + 3]).isEqualTo(10 / 255f);
    }

    @Test
    void tensorIsRgbPlanes() {
        byte[] bgr = { 1, 2, 3, 4, 5, 6 }; // two pixels: B, G, R
        float[] t = ImageTensor.toNchwRgb(new BgrImage(2, 1, bgr));
        assertThat(t).containsExactly(3 / 255f, 6 / 255f, 2 / 255f, 5 / 255f, 1 / 255f, 4 / 255f);
    }
}
