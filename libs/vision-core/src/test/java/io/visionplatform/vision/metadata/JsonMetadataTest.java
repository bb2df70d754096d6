package io.visionplatform.vision.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;

/** {@link JsonLiteral} and {@link ModelMetadata#fromJson}, the metadata of TorchScript exports ({@code config.txt}). */
class JsonMetadataTest {

    /** The keys whose ONNX prop values are Python literals; the others are plain text, i.e. JSON strings. */
    private static final Set<String> LITERAL_KEYS = Set.of("stride", "batch", "imgsz", "names", "args", "channels",
            "end2end");

    @Test
    @SuppressWarnings("unchecked")
    void parsesJsonValuesIntoThePythonLiteralTypes() {
        Object value = JsonLiteral.parse(
                " {\"a\": [1, -2, 3.5, 1e3, -0.25E-2, 0], \"b\": {\"0\": \"x\"}, \"c\": true, \"d\": false, "
                        + "\"e\": null, \"f\": 123456789012345678901234567890, \"g\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}\n");
        assertThat(value).isInstanceOf(Map.class);
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat((List<Object>) map.get("a")).containsExactly(1L, -2L, 3.5, 1000.0, -0.0025, 0L);
        assertThat((Map<String, Object>) map.get("b")).containsEntry("0", "x");
        assertThat(map.get("c")).isEqualTo(true);
        assertThat(map.get("d")).isEqualTo(false);
        assertThat(map.containsKey("e")).isTrue();
        assertThat(map.get("e")).isNull();
        assertThat(map.get("f")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(map.get("g")).isEqualTo("\"\\/\b\f\n\r\té\uD83D\uDE00");
        assertThat(JsonLiteral.parse("[NaN, Infinity, -Infinity]")).isEqualTo(
                List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        assertThat(JsonLiteral.parse("\"plain\"")).isEqualTo("plain");
        assertThat(JsonLiteral.parse("{}")).isEqualTo(Map.of());
        assertThat(JsonLiteral.parse("[]")).isEqualTo(List.of());
        // a repeated key keeps its first position and its last value, as json.loads does
        Map<String, Object> repeated = (Map<String, Object>) JsonLiteral.parse("{\"k\": 1, \"j\": 2, \"k\": 3}");
        assertThat(repeated.keySet()).containsExactly("k", "j");
        assertThat(repeated.get("k")).isEqualTo(3L);
        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "   ", "{", "{\"a\": 1,}", "[1, 2,]", "{'a': 1}", "{a: 1}", "[01]", "[1.]",
                "[.5]", "[+1]", "[1e]", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12g4\"",
                "\"tab\there\"", "True", "None", "nan", "[1] [2]", "{\"a\" 1}", "{\"a\": 1 \"b\": 2}", "[1e999]",
                "{1: \"a\"}", "-", "[truex]")) {
            assertThatThrownBy(() -> JsonLiteral.parse(bad)).as(bad).isInstanceOf(MetadataFormatException.class)
                    .hasMessageContaining("offset");
        }
        assertThatThrownBy(() -> JsonLiteral.parse(null)).isInstanceOf(MetadataFormatException.class);
        assertThatThrownBy(() -> JsonLiteral.parse("[".repeat(100) + "]".repeat(100)))
                .isInstanceOf(MetadataFormatException.class).hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> ModelMetadata.fromJson("[1, 2]")).isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void fromJsonGivesTheSameMetadataAsTheOnnxPropsOfEveryFixtureExport() {
        for (String model : Fixtures.MODELS) {
            JsonNode pairs = Fixtures.json(model, "export_info.json").path("onnx").path("model.onnx").path("metadata_props");
            assertThat(pairs.isArray()).isTrue();
            Map<String, String> props = new LinkedHashMap<>();
            for (JsonNode pair : pairs) {
                props.put(pair.get(0).asText(), pair.get(1).asText());
            }
            // What Ultralytics' TorchScript exporter writes for the same metadata dict: json.dumps(metadata)
            Map<String, Object> dict = new LinkedHashMap<>();
            props.forEach((k, v) -> dict.put(k, LITERAL_KEYS.contains(k) ? PythonLiteral.parse(v) : v));
            String json = toJson(dict);
            assertThat(json).contains("\"names\": {\"0\": \"circle\", \"1\": \"square\"");

            ModelMetadata fromProps = ModelMetadata.fromProps(props);
            ModelMetadata fromJson = ModelMetadata.fromJson(json);
            assertThat(fromJson).usingRecursiveComparison().ignoringFields("raw").isEqualTo(fromProps);
            assertThat(fromJson.raw().keySet()).containsExactlyElementsOf(props.keySet());
            assertThat(fromJson.raw()).containsEntry("description", props.get("description"))
                    .containsEntry("stride", "32").containsEntry("imgsz", "[192, 192]");
        }
    }

    @Test
    void defaultsAndTypeChecks() {
        ModelMetadata empty = ModelMetadata.fromJson("{}");
        assertThat(empty).isEqualTo(ModelMetadata.fromProps(Map.of()));
        ModelMetadata m = ModelMetadata.fromJson("{\"task\": \"detect\", \"imgsz\": 320, \"names\": [\"a\", \"b\"], "
                + "\"end2end\": true, \"version\": 8, \"date\": null, \"extra\": {\"k\": [1]}}");
        assertThat(m.imgsz()).containsExactly(320, 320);
        assertThat(m.names()).containsExactly("a", "b");
        assertThat(m.end2end()).isTrue();
        assertThat(m.version()).isEqualTo("8");
        assertThat(m.date()).isNull();
        assertThat(m.raw()).containsEntry("extra", "{\"k\": [1]}").containsEntry("task", "detect");

        for (String bad : List.of("{\"task\": 1}", "{\"stride\": \"32\"}", "{\"stride\": null}", "{\"end2end\": \"True\"}",
                "{\"imgsz\": [1, 2, 3]}", "{\"names\": {\"0\": \"a\", \"2\": \"c\"}}", "{\"names\": {\"x\": \"a\"}}",
                "{\"names\": {\"0\": 1}}", "{\"args\": [1]}", "{\"batch\": 1.5}", "{\"channels\": 99999999999}")) {
            assertThatThrownBy(() -> ModelMetadata.fromJson(bad)).as(bad).isInstanceOf(MetadataFormatException.class)
                    .hasMessageContaining("metadata '");
        }
        assertThatThrownBy(() -> ModelMetadata.fromJson("{\"names\": {0: \"a\"}}"))
                .isInstanceOf(MetadataFormatException.class).hasMessageContaining("metadata JSON");
    }

    /** A small json.dumps: ", " and ": " separators, dict keys as strings. */
    private static String toJson(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            return sb.append('"').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            map.forEach((k, v) -> {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(toJson(String.valueOf(k))).append(": ").append(toJson(v));
            });
            return sb.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : list) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(toJson(o));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(value); // Long, Double, Boolean (true/false)
    }
}
