package io.visionplatform.dataset.testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads labels back out of Ultralytics NDJSON records, as the SDK would write them to label files. */
public final class NdjsonLabels {

    private NdjsonLabels() {
    }

    /**
     * @param lines the parsed lines of an NDJSON file, the dataset record first
     * @return image file name → its {@code boxes} rows
     */
    public static Map<String, List<List<Double>>> boxesByFile(List<JsonNode> lines) {
        Map<String, List<List<Double>>> labels = new HashMap<>();
        for (JsonNode image : lines.subList(1, lines.size())) {
            List<List<Double>> rows = new ArrayList<>();
            image.get("annotations").get("boxes").forEach(row -> {
                List<Double> values = new ArrayList<>();
                row.forEach(value -> values.add(value.asDouble()));
                rows.add(values);
            });
            labels.put(image.get("file").asText(), rows);
        }
        return labels;
    }
}
