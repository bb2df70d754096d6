package io.visionplatform.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.metadata.ModelMetadata;
import io.visionplatform.vision.nn.YoloNetwork;

/**
 * The exported files declare what Ultralytics' exports of the same checkpoints declare: IR version, opset, graph
 * input and output names and shapes, and {@code metadata_props} (keys in file order and Python-literal values), and
 * {@link OnnxDetector} reads the same {@link ModelMetadata} from both. Also: other input sizes and max_det, the
 * refusals, determinism and the file writing.
 */
class OnnxExportFormatTest {

    /** export_info.json's description of the fixture's model.onnx. */
    private static JsonNode reference(String model) {
        return Fixtures.json(model, "export_info.json").get("onnx").get("model.onnx");
    }

    private static List<Map.Entry<String, String>> props(JsonNode ref) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (JsonNode pair : ref.get("metadata_props")) {
            out.add(Map.entry(pair.get(0).asText(), pair.get(1).asText()));
        }
        return out;
    }

    private static List<Long> shape(JsonNode s) {
        List<Long> out = new ArrayList<>();
        s.forEach(d -> out.add(d.asLong()));
        return out;
    }

    @Test
    void ourReaderReadsTheFixtureExportsAsExportInfoDescribesThem() throws IOException {
        for (String model : Fixtures.MODELS) {
            JsonNode ref = reference(model);
            OnnxModelInfo info = OnnxModelInfo.read(Fixtures.modelFile(model, "model.onnx"));
            assertThat(info.irVersion()).isEqualTo(ref.get("ir_version").asLong());
            assertThat(info.opset()).isEqualTo(ref.get("opset").get(0).get(1).asLong());
            assertThat(info.producerName() + " " + info.producerVersion()).isEqualTo(ref.get("producer").asText());
            assertThat(info.nodeCount()).isEqualTo(ref.get("num_nodes").asInt());
            List<String> ops = new ArrayList<>();
            ref.get("op_types").forEach(o -> ops.add(o.asText()));
            assertThat(info.opTypes()).containsExactlyElementsOf(ops);
            assertThat(info.metadataProps()).containsExactlyElementsOf(props(ref));
            assertThat(info.inputs()).singleElement().satisfies(v -> {
                assertThat(v.name()).isEqualTo(ref.get("inputs").get(0).get("name").asText());
                assertThat(v.shape()).isEqualTo(shape(ref.get("inputs").get(0).get("shape")));
            });
        }
    }

    @Test
    void graphInputsOutputsOpsetAndIrVersionEqualTheFixtureExports() {
        for (String model : Fixtures.MODELS) {
            JsonNode ref = reference(model);
            OnnxModelInfo ours = OnnxModelInfo.parse(OnnxFixtures.export(model));
            assertThat(ours.irVersion()).as(model).isEqualTo(ref.get("ir_version").asLong()).isEqualTo(7);
            assertThat(ours.opsets()).as(model).containsExactly(Map.entry("ai.onnx", 12L));
            assertThat(ours.opset()).isEqualTo(ref.get("opset").get(0).get(1).asLong());
            assertThat(ours.producerName()).isEqualTo(OnnxExporter.PRODUCER_NAME);
            for (String side : List.of("inputs", "outputs")) {
                List<OnnxModelInfo.ValueInfo> values = side.equals("inputs") ? ours.inputs() : ours.outputs();
                assertThat(values).as("%s %s", model, side).hasSize(ref.get(side).size());
                for (int i = 0; i < values.size(); i++) {
                    JsonNode r = ref.get(side).get(i);
                    assertThat(values.get(i).name()).isEqualTo(r.get("name").asText());
                    assertThat(values.get(i).shape()).as("%s %s", model, r.get("name"))
                            .isEqualTo(shape(r.get("shape")));
                    assertThat(values.get(i).elemType()).isEqualTo(1); // FLOAT
                }
            }
            // every op is one an Ultralytics opset-12 export of these models uses, but for the end-to-end selection's
            // ReduceMax and Mod (Ultralytics gathers with GatherElements / Tile / Expand instead)
            java.util.Set<String> referenceOps = new java.util.TreeSet<>(List.of("ReduceMax", "Mod"));
            Fixtures.MODELS.forEach(m -> reference(m).get("op_types").forEach(o -> referenceOps.add(o.asText())));
            assertThat(referenceOps).containsAll(ours.opTypes());
            System.out.printf("[onnx] %s: ir %d, opset %d, %s %s -> %s %s, %d nodes (Ultralytics: %d)%n", model,
                    ours.irVersion(), ours.opset(), ours.inputs().get(0).name(), ours.inputs().get(0).shape(),
                    ours.outputs().get(0).name(), ours.outputs().get(0).shape(), ours.nodeCount(),
                    ref.get("num_nodes").asInt());
        }
    }

    @Test
    void metadataPropsEqualUltralyticsKeyByKeyInFileOrder() {
        for (String model : Fixtures.MODELS) {
            List<Map.Entry<String, String>> expected = props(reference(model));
            String date = expected.stream().filter(e -> e.getKey().equals("date")).findFirst().orElseThrow().getValue();
            byte[] ours = OnnxExporter.toBytes(Fixtures.checkpoint(model), ExportOptions.defaults().withDate(date));
            // with the reference's date, every prop is the same text in the same place
            assertThat(OnnxModelInfo.parse(ours).metadataProps()).as(model).containsExactlyElementsOf(expected);
        }
        assertThat(OnnxModelInfo.parse(OnnxFixtures.export("yolo26n-shapes4")).metadata())
                .containsEntry("end2end", "True")
                .containsEntry("imgsz", "[192, 192]")
                .containsEntry("names", "{0: 'circle', 1: 'square', 2: 'triangle', 3: 'cross'}");
    }

    @Test
    void onnxDetectorReadsTheSameMetadataFromOurExportAsFromUltralytics() {
        for (String model : Fixtures.MODELS) {
            try (OnnxDetector ours = OnnxDetector.load(OnnxFixtures.export(model));
                    OnnxDetector reference = OnnxDetector.load(Fixtures.modelFile(model, "model.onnx"))) {
                ModelMetadata m = ours.metadata();
                ModelMetadata r = reference.metadata();
                assertThat(m.names()).containsExactly("circle", "square", "triangle", "cross");
                assertThat(m.imgsz()).containsExactly(192, 192);
                assertThat(m.stride()).isEqualTo(32);
                assertThat(m.end2end()).isEqualTo(model.startsWith("yolo26"));
                assertThat(m.task()).isEqualTo("detect");
                assertThat(m.batch()).isEqualTo(1);
                assertThat(m.channels()).isEqualTo(3);
                assertThat(m.args()).containsEntry("opset", 12L).containsEntry("nms", false);
                // everything but the date (and the raw text of the date) is what Ultralytics wrote
                assertThat(m.date()).isEqualTo(OnnxFixtures.DATE);
                assertThat(new ModelMetadata(m.task(), m.stride(), m.imgsz(), m.names(), m.batch(), m.end2end(),
                        m.channels(), m.description(), m.author(), m.version(), r.date(), m.args(), Map.of()))
                        .isEqualTo(new ModelMetadata(r.task(), r.stride(), r.imgsz(), r.names(), r.batch(), r.end2end(),
                                r.channels(), r.description(), r.author(), r.version(), r.date(), r.args(), Map.of()));
                assertThat(ours.letterbox().isMinimal()).isFalse();
                assertThat(ours.letterbox().targetHeight()).isEqualTo(192);
            }
        }
    }

    @Test
    void otherInputSizesAndMaxDetFollowTheDjlNetwork() {
        float[] input = new float[3 * 128 * 256];
        for (int i = 0; i < input.length; i++) {
            input[i] = ((i * 7919) % 255) / 255f;
        }
        for (String model : List.of("yolo11n-shapes4", "yolo26n-shapes4")) {
            byte[] bytes = OnnxExporter.toBytes(Fixtures.checkpoint(model),
                    ExportOptions.defaults().withImgsz(128, 256).withDate(OnnxFixtures.DATE));
            OnnxModelInfo info = OnnxModelInfo.parse(bytes);
            assertThat(info.inputs().get(0).shape()).containsExactly(1L, 3L, 128L, 256L);
            assertThat(info.metadata()).containsEntry("imgsz", "[128, 256]");
            try (OnnxDetector ours = OnnxDetector.load(bytes);
                    YoloNetwork net = YoloNetwork.load(Fixtures.checkpoint(model))) {
                RawOutput o = ours.forward(input, 128, 256);
                RawOutput d = net.forward(input, 128, 256);
                assertThat(o.shape()).containsExactly(d.shape());
                if (model.startsWith("yolo26")) {
                    assertThat(o.shape()).containsExactly(1, 300, 6);
                    OnnxFixtures.compareEndToEnd(model + " 128x256", o.data(), d.data(), 1e-3);
                } else {
                    assertThat(o.shape()).containsExactly(1, 8, 16 * 32 + 8 * 16 + 4 * 8);
                    assertThat(OnnxFixtures.maxDiff(o.data(), d.data())).isLessThan(1e-3);
                }
            }
        }
        // fewer anchors than max_det: k = N (64x64: 64 + 16 + 4); and an explicit max_det
        byte[] small = OnnxExporter.toBytes(Fixtures.checkpoint("yolo26n-shapes4"),
                ExportOptions.defaults().withImgsz(64, 64).withDate(OnnxFixtures.DATE));
        assertThat(OnnxModelInfo.parse(small).outputs().get(0).shape()).containsExactly(1L, 84L, 6L);
        byte[] ten = OnnxExporter.toBytes(Fixtures.checkpoint("yolo26n-shapes4"),
                ExportOptions.defaults().withMaxDet(10).withDate(OnnxFixtures.DATE));
        assertThat(OnnxModelInfo.parse(ten).outputs().get(0).shape()).containsExactly(1L, 10L, 6L);
        float[] image = new float[3 * 192 * 192];
        for (int i = 0; i < image.length; i++) {
            image[i] = ((i * 31) % 255) / 255f;
        }
        try (OnnxDetector top10 = OnnxDetector.load(ten);
                OnnxDetector full = OnnxDetector.load(OnnxFixtures.export("yolo26n-shapes4"))) {
            float[] a = top10.forward(image, 192, 192).data();
            float[] b = full.forward(image, 192, 192).data();
            for (int i = 0; i < a.length; i += 6) {
                assertThat(a[i + 4]).as("score of row %d", i / 6).isEqualTo(b[i + 4]);
            }
        }
    }

    @Test
    void sameCheckpointAndDateGiveTheSameBytes() {
        byte[] a = OnnxExporter.toBytes(Fixtures.checkpoint("yolov8n-shapes4"),
                ExportOptions.defaults().withDate(OnnxFixtures.DATE));
        assertThat(a).isEqualTo(OnnxFixtures.export("yolov8n-shapes4"));
        String date = OnnxModelInfo.parse(OnnxExporter.toBytes(Fixtures.checkpoint("yolov8n-shapes4"),
                ExportOptions.defaults())).metadata().get("date");
        assertThat(date).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    }

    @Test
    void refusesOptionsThatDoNotFitTheModel() {
        assertThatThrownBy(() -> OnnxExporter.toBytes(Fixtures.checkpoint("yolo11n-shapes4"),
                ExportOptions.defaults().withImgsz(200, 192))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of the stride 32");
        assertThatThrownBy(() -> OnnxExporter.toBytes(Fixtures.checkpoint("yolov8n-shapes4"),
                ExportOptions.defaults().withEndToEnd(true))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no end-to-end");
        assertThatThrownBy(() -> ExportOptions.defaults().withImgsz(0, 192))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportOptions.defaults().withMaxDet(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnnxModelInfo.parse(new byte[] { 0x3a, 0x7f, 0x01 }))
                .isInstanceOf(OnnxFormatException.class);
    }

    @Test
    void exportWritesTheFileInPlaceAndReportsWhatItDeclares(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sub/model.onnx");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "old");
        OnnxModelInfo info = OnnxExporter.export(Fixtures.modelFile("yolo11n-shapes4", "best.pt"), out,
                ExportOptions.defaults().withDate(OnnxFixtures.DATE));
        assertThat(Files.readAllBytes(out)).isEqualTo(OnnxFixtures.export("yolo11n-shapes4"));
        assertThat(info).isEqualTo(OnnxModelInfo.read(out));
        assertThat(info.outputs().get(0).shape()).containsExactly(1L, 8L, 756L);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.onnx");
        }
    }
}
