package io.visionplatform.dataset.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.dataset.ingest.FileProblem;

/** The JSON kept in text columns (class names, splits, labels, problems, staged files), read and written one way. */
@ApplicationScoped
public class StoredJson {

    static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    static final TypeReference<List<Integer>> INTEGERS = new TypeReference<>() {
    };
    static final TypeReference<Map<String, Integer>> SPLITS = new TypeReference<>() {
    };
    static final TypeReference<List<List<Double>>> ROWS = new TypeReference<>() {
    };
    static final TypeReference<List<FileProblem>> PROBLEMS = new TypeReference<>() {
    };
    static final TypeReference<List<StagedFile>> STAGED_FILES = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public StoredJson(ObjectMapper json) {
        this.json = json;
    }

    public <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is corrupt", e);
        }
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    public List<String> classNames(String text) {
        return read(text, NAMES);
    }

    public Map<String, Integer> splits(String text) {
        return read(text, SPLITS);
    }

    public List<List<Double>> rows(String text) {
        return read(text, ROWS);
    }

    public List<FileProblem> problems(String text) {
        return read(text, PROBLEMS);
    }

    public List<StagedFile> stagedFiles(String text) {
        return read(text, STAGED_FILES);
    }

    /** Labels as stored and exported: class ids as integers, coordinates as they came. */
    public String writeRows(List<List<Double>> rows) {
        StringBuilder out = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            List<Double> row = rows.get(r);
            out.append(r == 0 ? "[" : ",[");
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                double value = row.get(i);
                out.append(i == 0 ? Long.toString(Math.round(value)) : Double.toString(value));
            }
            out.append(']');
        }
        return out.append(']').toString();
    }

    /** An uploaded file staged in the bucket while its ingest job waits or runs. */
    public record StagedFile(String name, String key, long bytes) {
    }
}
