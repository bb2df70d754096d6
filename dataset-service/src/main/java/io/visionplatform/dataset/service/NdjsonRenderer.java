package io.visionplatform.dataset.service;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.DatasetExport;
import io.visionplatform.dataset.DatasetImage;
import io.visionplatform.dataset.ingest.DatasetTask;

/**
 * Lines of the Ultralytics NDJSON format: a dataset record ({@code class_names} keyed by strings), then one record
 * per image with a signed URL anyone can fetch and the labels under the task's key.
 */
@ApplicationScoped
public class NdjsonRenderer {

    private final ObjectMapper json;
    private final StoredJson stored;

    public NdjsonRenderer(ObjectMapper json, StoredJson stored) {
        this.json = json;
        this.stored = stored;
    }

    public String datasetLine(Dataset dataset, DatasetExport version) {
        List<String> names = stored.classNames(version.classNames);
        Map<String, String> classNames = new LinkedHashMap<>();
        for (int id = 0; id < names.size(); id++) {
            classNames.put(Integer.toString(id), names.get(id));
        }
        ObjectNode line = json.createObjectNode()
                .put("type", "dataset")
                .put("task", dataset.task)
                .put("name", dataset.name)
                .put("description", dataset.description);
        line.set("class_names", json.valueToTree(classNames));
        if (dataset.kptShape != null) {
            line.set("kpt_shape", readTree(dataset.kptShape));
        }
        line.put("bytes", version.imageBytes)
                .put("version", version.version)
                .put("images", version.imageCount)
                .put("created_at", dataset.createdAt.toString())
                .put("updated_at", version.createdAt.toString());
        return write(line);
    }

    public String imageLine(DatasetImage image, DatasetTask task, Function<String, URI> signer) {
        ObjectNode line = json.createObjectNode()
                .put("type", "image")
                .put("file", image.fileName)
                .put("url", signer.apply(image.objectKey).toString())
                .put("width", image.width)
                .put("height", image.height)
                .put("split", image.split);
        JsonNode rows = readTree(image.annotations);
        ObjectNode annotations = line.putObject("annotations");
        if (task == DatasetTask.CLASSIFY) {
            // Classification carries the image's class ids, not rows: "classification": [cls]
            ArrayNode classes = annotations.putArray(task.annotationKey());
            rows.forEach(row -> classes.add(row.get(0)));
        } else {
            annotations.set(task.annotationKey(), rows);
        }
        return write(line);
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is corrupt", e);
        }
    }

    private String write(ObjectNode line) {
        try {
            return json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an NDJSON line", e);
        }
    }
}
