package io.visionplatform.model.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.common.error.PlatformException;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.metadata.ModelMetadata;

/**
 * Reads an uploaded model file's own description: ONNX {@code metadata_props} (Python literals), the JSON in a
 * TorchScript archive's {@code extra/config.txt}, or a {@code .pt} checkpoint through vision-core's safe reader.
 * Anything else, or a file that does not parse as what its name says, is a {@code VALIDATION_ERROR}. Blocking.
 */
@ApplicationScoped
public class ModelInspector {

    private static final long MAX_CONFIG_BYTES = 1 << 20;

    private final ObjectMapper json;
    private final CheckpointInspector checkpoints;

    public ModelInspector(ObjectMapper json, CheckpointInspector checkpoints) {
        this.json = json;
        this.checkpoints = checkpoints;
    }

    public InspectedModel inspect(Path file, String fileName) {
        String extension = extensionOf(fileName);
        return switch (extension) {
            case "onnx" -> onnx(file);
            case "torchscript" -> torchScript(file);
            case "pt" -> checkpoints.inspect(file);
            default -> throw PlatformException.invalidField("file",
                    "must be an Ultralytics .pt checkpoint, .onnx or .torchscript file, got '" + fileName + "'");
        };
    }

    private static InspectedModel onnx(Path file) {
        try (OnnxDetector detector = OnnxDetector.load(file)) {
            ModelMetadata metadata = detector.metadata();
            return new InspectedModel("onnx", "onnx", metadata.task(), metadata.names(), metadata.imgsz().get(0),
                    metadata.stride(), metadata.end2end());
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw PlatformException.invalidField("file", "not a usable Ultralytics ONNX export: " + e.getMessage());
        }
    }

    /** Ultralytics' TorchScript export: a PyTorch archive whose extra file config.txt holds the metadata as JSON. */
    private InspectedModel torchScript(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry config = find(zip, "/extra/config.txt");
            if (config == null || find(zip, "/data.pkl") == null) {
                throw PlatformException.invalidField("file",
                        "not an Ultralytics TorchScript export (no data.pkl or extra/config.txt)");
            }
            JsonNode metadata;
            try (InputStream in = zip.getInputStream(config)) {
                metadata = json.readTree(new String(in.readNBytes((int) MAX_CONFIG_BYTES), StandardCharsets.UTF_8));
            }
            List<Integer> imgsz = integers(metadata.get("imgsz"));
            return new InspectedModel("torchscript", "torchscript", text(metadata, "task", "detect"),
                    names(metadata.get("names")), imgsz.isEmpty() ? null : imgsz.get(0),
                    metadata.path("stride").isNumber() ? metadata.get("stride").asInt() : null,
                    metadata.path("end2end").asBoolean(false));
        } catch (ZipException e) {
            throw PlatformException.invalidField("file", "not a TorchScript archive: " + e.getMessage());
        } catch (IOException e) {
            throw PlatformException.invalidField("file", "unreadable TorchScript archive: " + e.getMessage());
        }
    }

    private static ZipEntry find(ZipFile zip, String suffix) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().endsWith(suffix) && entry.getSize() <= MAX_CONFIG_BYTES * 64) {
                return entry;
            }
        }
        return null;
    }

    /** {@code {"0": "circle", "1": "square"}} or a list. */
    static List<String> names(JsonNode names) {
        if (names == null || names.isNull()) {
            throw PlatformException.invalidField("file", "the model names no classes");
        }
        if (names.isArray()) {
            List<String> list = new ArrayList<>();
            names.forEach(name -> list.add(name.asText()));
            return list;
        }
        Map<Integer, String> byId = new TreeMap<>();
        names.fields().forEachRemaining(entry -> byId.put(Integer.parseInt(entry.getKey()), entry.getValue().asText()));
        return List.copyOf(byId.values());
    }

    private static List<Integer> integers(JsonNode node) {
        List<Integer> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isNumber()) {
            values.add(node.asInt());
        }
        node.forEach(value -> values.add(value.asInt()));
        return values;
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }

    static String extensionOf(String fileName) {
        if (fileName == null) {
            return "";
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
