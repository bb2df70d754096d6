package io.visionplatform.dataset.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.rest.DatasetView;

/** Dataset entity → the contract's JSON; the entity never leaves the service. */
@ApplicationScoped
public class DatasetMapper {

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> SPLITS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public DatasetMapper(ObjectMapper json) {
        this.json = json;
    }

    public DatasetView toView(Dataset dataset) {
        List<String> classNames = read(dataset.classNames, NAMES);
        return new DatasetView(dataset.id, dataset.name, dataset.slug, dataset.description, dataset.task,
                dataset.imageCount, classNames.size(), dataset.annotationCount, classNames,
                read(dataset.splits, SPLITS), dataset.totalBytes, dataset.visibility, dataset.status,
                dataset.createdAt, dataset.updatedAt);
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored dataset JSON is corrupt", e);
        }
    }
}
