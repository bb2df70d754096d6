package io.visionplatform.dataset.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.rest.DatasetView;

/** Dataset entity → the contract's JSON; the entity never leaves the service. */
@ApplicationScoped
public class DatasetMapper {

    private final StoredJson json;

    public DatasetMapper(StoredJson json) {
        this.json = json;
    }

    public DatasetView toView(Dataset dataset) {
        List<String> classNames = json.classNames(dataset.classNames);
        return new DatasetView(dataset.id, dataset.name, dataset.slug, dataset.description, dataset.task,
                dataset.imageCount, classNames.size(), dataset.annotationCount, classNames,
                json.splits(dataset.splits), dataset.totalBytes, dataset.visibility, dataset.status,
                dataset.createdAt, dataset.updatedAt);
    }
}
