package io.visionplatform.vision.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.RecordedOutputs;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.onnx.ExportOptions;
import io.visionplatform.vision.onnx.OnnxExporter;
import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.pt.DType;
import io.visionplatform.vision.pt.PickledObject;
import io.visionplatform.vision.pt.Tensor;
import io.visionplatform.vision.pt.TensorData;

/**
 * Each Ultralytics fixture, taken apart (yaml, names, state dict, train_args) and written again with
 * {@link UltralyticsCheckpoint}, reads back as the same model: same fields, the same state dict in the same order
 * (bit for bit in half precision), the same module classes, the same network output, and it exports to ONNX.
 */
class UltralyticsCheckpointTest {

    @TempDir
    Path dir;

    static Stream<Arguments> fixturesAndPrecisions() {
        return Fixtures.MODELS.stream().flatMap(m -> Stream.of(Arguments.of(m, true), Arguments.of(m, false)));
    }

    @ParameterizedTest(name = "{0} half={1}")
    @MethodSource("fixturesAndPrecisions")
    void rewrittenFixtureReadsBackAsTheSameModel(String model, boolean half) throws IOException {
        Checkpoint original = Fixtures.checkpoint(model);
        Path file = dir.resolve("best.pt");
        UltralyticsCheckpoint.write(file, specOf(original, half));

        Checkpoint written = Checkpoint.read(file);
        assertThat(written.names()).isEqualTo(original.names());
        assertThat(written.stride()).isEqualTo(original.stride());
        assertThat(written.task()).isEqualTo(original.task());
        assertThat(written.modelYaml()).isEqualTo(original.modelYaml());
        assertThat(written.trainArgs()).isEqualTo(original.trainArgs());
        assertThat(written.imgsz()).isEqualTo(original.imgsz());
        assertThat(written.end2end()).isEqualTo(original.end2end());
        assertThat(written.epoch()).isEqualTo(original.epoch());
        assertThat(written.bestFitness()).isEqualTo(original.bestFitness());
        assertThat(written.version()).isEqualTo(UltralyticsCheckpoint.ULTRALYTICS_VERSION);
        assertThat(written.root().get("train_metrics")).isEqualTo(original.root().get("train_metrics"));
        assertThat(written.parameterCount()).isEqualTo(original.parameterCount());
        assertThat(written.parameters().keySet()).containsExactlyElementsOf(original.parameters().keySet());
        assertThat(written.stateDict().keySet()).containsExactlyElementsOf(original.stateDict().keySet());
        for (Map.Entry<String, Tensor> e : original.stateDict().entrySet()) {
            Tensor ours = written.stateDict().get(e.getKey());
            Tensor theirs = e.getValue();
            assertThat(ours.shape()).as(e.getKey()).isEqualTo(theirs.shape());
            if (theirs.dtype().isFloatingPoint()) {
                assertThat(ours.dtype()).as(e.getKey()).isEqualTo(half ? DType.FLOAT16 : DType.FLOAT32);
                // Arrays.equals on floats compares bits; the fixtures are float16, so both ways are exact
                assertThat(ours.toFloatArray()).as(e.getKey()).isEqualTo(theirs.toFloatArray());
            } else {
                assertThat(ours.toLongArray()).as(e.getKey()).isEqualTo(theirs.toLongArray());
            }
        }
        assertThat(moduleClasses(written)).isEqualTo(moduleClasses(original));
        assertThat(layerAttributes(written)).isEqualTo(layerAttributes(original));
    }

    @ParameterizedTest(name = "{0} half={1}")
    @MethodSource("fixturesAndPrecisions")
    void rewrittenFixtureRunsAndExportsLikeTheOriginal(String model, boolean half) throws IOException {
        Path file = dir.resolve("last.pt");
        UltralyticsCheckpoint.write(file, specOf(Fixtures.checkpoint(model), half));
        Checkpoint written = Checkpoint.read(file);

        JsonNode rec = Fixtures.json(model, "raw_output.json").get("images").get(0);
        float[] input = RecordedOutputs.input(rec);
        YoloNetwork reference = NnFixtures.network(model);
        try (YoloNetwork net = YoloNetwork.load(written)) {
            assertThat(net.tensorCount()).isEqualTo(reference.tensorCount());
            assertThat(net.strides()).isEqualTo(reference.strides());
            RawOutput ours = net.forward(input, 192, 192);
            RawOutput theirs = reference.forward(input, 192, 192);
            assertThat(ours.shape()).isEqualTo(theirs.shape());
            double max = 0;
            for (int i = 0; i < ours.data().length; i++) {
                max = Math.max(max, Math.abs(ours.data()[i] - theirs.data()[i]));
            }
            System.out.printf("[pt-writer] %s half=%s: forward max |diff| vs original %.3g%n", model, half, max);
            assertThat(max).isLessThan(1e-4);
        }
        byte[] onnx = OnnxExporter.toBytes(written, ExportOptions.defaults().withDate("2026-01-01T00:00:00"));
        assertThat(onnx.length).isGreaterThan(1_000_000);
    }

    @Test
    void aStateDictThatDoesNotFitTheYamlIsRefusedAndNothingIsWritten() throws IOException {
        Checkpoint original = Fixtures.checkpoint("yolo11n-shapes4");
        UltralyticsCheckpoint.Spec full = specOf(original, true);

        Map<String, TensorData> missing = new LinkedHashMap<>(full.stateDict());
        missing.remove("model.23.dfl.conv.weight");
        Map<String, TensorData> extra = new LinkedHashMap<>(full.stateDict());
        extra.put("model.99.conv.weight", TensorData.ofFloat32(new float[] { 1 }, 1, 1, 1, 1));
        Map<String, TensorData> reshaped = new LinkedHashMap<>(full.stateDict());
        reshaped.put("model.0.bn.bias", TensorData.ofFloat32(new float[8], 8));

        for (Map<String, TensorData> bad : List.of(missing, extra, reshaped)) {
            UltralyticsCheckpoint.Spec spec = new UltralyticsCheckpoint.Spec(full.yaml(), full.names(), bad,
                    full.trainArgs(), full.epoch(), full.bestFitness(), true, Map.of());
            assertThatThrownBy(() -> UltralyticsCheckpoint.write(dir.resolve("best.pt"), spec))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        UltralyticsCheckpoint.Spec wrongNames = new UltralyticsCheckpoint.Spec(full.yaml(), List.of("a", "b"),
                full.stateDict(), full.trainArgs(), full.epoch(), full.bestFitness(), true, Map.of());
        assertThatThrownBy(() -> UltralyticsCheckpoint.write(dir.resolve("best.pt"), wrongNames))
                .isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void detectStridesFollowTheDownsampling() {
        for (String model : Fixtures.MODELS) {
            YoloArchitecture arch = YoloArchitecture.parse(Fixtures.checkpoint(model).modelYaml());
            assertThat(UltralyticsCheckpoint.detectStrides(arch)).containsExactly(8f, 16f, 32f);
        }
    }

    /** What a trainer would hand over: the fixture's own parts, its float16 weights as float32 copies. */
    static UltralyticsCheckpoint.Spec specOf(Checkpoint c, boolean half) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("train_metrics", c.root().get("train_metrics"));
        extra.put("train_results", c.root().get("train_results"));
        return new UltralyticsCheckpoint.Spec(c.modelYaml(), c.names(), UltralyticsCheckpoint.stateDictOf(c),
                c.trainArgs(), c.epoch(), c.bestFitness(), half, extra);
    }

    /** {@code named_modules()} → class, for every module. */
    private static Map<String, String> moduleClasses(Checkpoint c) {
        Map<String, String> out = new LinkedHashMap<>();
        c.modules().forEach((name, m) -> out.put(name, m.className()));
        return out;
    }

    /** The attributes parse_model and the blocks set that our loader and Ultralytics' forward read. */
    private static Map<String, Object> layerAttributes(Checkpoint c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, PickledObject> e : c.modules().entrySet()) {
            for (String a : List.of("i", "f", "type", "np", "add", "n", "c", "c1", "d", "nc", "nl", "reg_max", "no",
                    "max_det", "num_heads", "head_dim", "key_dim", "scale", "scale_factor", "mode", "kernel_size",
                    "stride", "padding", "groups", "dilation", "eps", "momentum", "in_channels", "out_channels",
                    "save", "names", "nc", "inplace")) {
                Object v = e.getValue().attribute(a);
                if (v != null && !(v instanceof Tensor)) {
                    out.put(e.getKey() + "." + a, v);
                }
            }
        }
        return out;
    }
}
