package io.visionplatform.vision.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;

class ModelMetadataTest {

    private static final List<String> SHAPES4 = List.of("circle", "square", "triangle", "cross");

    /** {@code metadata_props} exactly as stored in the export (export_info.json keeps them in file order). */
    private static Map<String, String> props(String model, String onnxFile) {
        JsonNode pairs = Fixtures.json(model, "export_info.json").path("onnx").path(onnxFile).path("metadata_props");
        assertThat(pairs.isArray()).as("metadata_props of %s/%s", model, onnxFile).isTrue();
        Map<String, String> props = new LinkedHashMap<>();
        for (JsonNode pair : pairs) {
            props.put(pair.get(0).asText(), pair.get(1).asText());
        }
        return props;
    }

    @Test
    void parsesEveryFixtureExport() {
        record Expected(String model, String file, boolean end2end, String description) {
        }
        List<Expected> exports = List.of(
                new Expected("yolov8n-shapes4", "model.onnx", false, "Ultralytics YOLOv8n model trained on shapes4/data.yaml"),
                new Expected("yolo11n-shapes4", "model.onnx", false, "Ultralytics YOLO11n model trained on shapes4/data.yaml"),
                new Expected("yolo26n-shapes4", "model.onnx", true, "Ultralytics YOLO26n model trained on shapes4/data.yaml"),
                new Expected("yolo26n-shapes4", "model_end2end_false.onnx", false,
                        "Ultralytics YOLO26n model trained on shapes4/data.yaml"));
        for (Expected e : exports) {
            Map<String, String> props = props(e.model(), e.file());
            ModelMetadata m = ModelMetadata.fromProps(props);
            assertThat(m.task()).isEqualTo("detect");
            assertThat(m.stride()).isEqualTo(32);
            assertThat(m.imgsz()).containsExactly(192, 192);
            assertThat(m.names()).containsExactlyElementsOf(SHAPES4);
            assertThat(m.classCount()).isEqualTo(4);
            assertThat(m.className(2)).isEqualTo("triangle");
            assertThat(m.className(9)).isEqualTo("9");
            assertThat(m.batch()).isEqualTo(1);
            assertThat(m.channels()).isEqualTo(3);
            assertThat(m.end2end()).as("%s/%s end2end", e.model(), e.file()).isEqualTo(e.end2end());
            assertThat(m.description()).isEqualTo(e.description());
            assertThat(m.author()).isEqualTo("Ultralytics");
            assertThat(m.version()).isEqualTo("8.4.50");
            assertThat(m.date()).startsWith("2026-11-28T");
            assertThat(m.args()).containsEntry("batch", 1L)
                    .containsEntry("half", false)
                    .containsEntry("dynamic", false)
                    .containsEntry("simplify", false)
                    .containsEntry("opset", 12L)
                    .containsEntry("nms", false);
            assertThat(m.raw()).isEqualTo(props);
            assertThat(m.raw().get("license")).isEqualTo("AGPL-3.0 License (https://ultralytics.com/license)");
        }
    }

    @Test
    void defaultsWhenPropsAreAbsent() {
        ModelMetadata m = ModelMetadata.fromProps(Map.of());
        assertThat(m.task()).isNull();
        assertThat(m.stride()).isEqualTo(32);
        assertThat(m.imgsz()).isEmpty();
        assertThat(m.names()).isEmpty();
        assertThat(m.batch()).isEqualTo(1);
        assertThat(m.end2end()).isFalse();
        assertThat(m.channels()).isEqualTo(3);
        assertThat(m.args()).isEmpty();
    }

    @Test
    void acceptsOtherShapesUltralyticsHasWritten() {
        ModelMetadata m = ModelMetadata.fromProps(Map.of(
                "imgsz", "640",
                "names", "{'0': 'person', '1': \"it's\"}",
                "stride", "64"));
        assertThat(m.imgsz()).containsExactly(640, 640);
        assertThat(m.names()).containsExactly("person", "it's");
        assertThat(m.stride()).isEqualTo(64);

        ModelMetadata list = ModelMetadata.fromProps(Map.of("names", "['a', 'b']", "imgsz", "[480, 640]"));
        assertThat(list.names()).containsExactly("a", "b");
        assertThat(list.imgsz()).containsExactly(480, 640);

        ModelMetadata unordered = ModelMetadata.fromProps(Map.of("names", "{1: 'b', 0: 'a'}"));
        assertThat(unordered.names()).containsExactly("a", "b");
    }

    @Test
    void refusesMalformedValuesNamingTheKey() {
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("names", "{0: 'a', 1: 'b'")))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("'names'");
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("names", "{0: 'a', 2: 'c'}")))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("0..1");
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("names", "{0: 1}")))
                .isInstanceOf(MetadataFormatException.class);
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("end2end", "true")))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("'end2end'");
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("end2end", "1")))
                .isInstanceOf(MetadataFormatException.class);
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("stride", "'32'")))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("'stride'");
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("imgsz", "[1, 2, 3]")))
                .isInstanceOf(MetadataFormatException.class);
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("imgsz", "[0, 640]")))
                .isInstanceOf(MetadataFormatException.class);
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("args", "[1]")))
                .isInstanceOf(MetadataFormatException.class);
        assertThatThrownBy(() -> ModelMetadata.fromProps(Map.of("batch", "99999999999")))
                .isInstanceOf(MetadataFormatException.class);
    }
}
