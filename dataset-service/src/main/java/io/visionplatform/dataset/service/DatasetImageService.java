package io.visionplatform.dataset.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.api.PageMeta;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.dataset.DatasetImage;
import io.visionplatform.dataset.config.DatasetsConfig;
import io.visionplatform.dataset.repository.DatasetImageRepository;
import io.visionplatform.dataset.repository.DatasetRepository;
import io.visionplatform.dataset.rest.DatasetImageView;

/** The paged image listing: labels plus short-lived signed URLs of each image and its thumbnail. */
@ApplicationScoped
public class DatasetImageService {

    private final DatasetRepository datasets;
    private final DatasetImageRepository images;
    private final StorageClient storage;
    private final StoredJson json;
    private final Duration urlTtl;

    public DatasetImageService(DatasetRepository datasets, DatasetImageRepository images, StorageClient storage,
            StoredJson json, DatasetsConfig config) {
        this.datasets = datasets;
        this.images = images;
        this.storage = storage;
        this.json = json;
        this.urlTtl = config.listingUrlTtl();
    }

    @WithSession
    public Uni<ApiResponse<List<DatasetImageView>>> list(String accountId, String datasetId, String split, int page,
            int limit) {
        return datasets.requireLive(accountId, datasetId)
                .chain(() -> images.page(datasetId, split, page, limit))
                .chain(found -> images.countIn(datasetId, split)
                        .map(total -> ApiResponse.page(found.stream()
                                .map(this::toView)
                                .toList(), new PageMeta(page, limit, total))));
    }

    private DatasetImageView toView(DatasetImage image) {
        List<List<Number>> annotations = json.rows(image.annotations)
                .stream()
                .map(DatasetImageService::withIntegerClass)
                .toList();
        return new DatasetImageView(image.id, image.fileName, image.split, image.width, image.height, image.bytes,
                image.contentHash, annotations, storage.presignGet(image.objectKey, urlTtl).toString(),
                storage.presignGet(image.thumbnailKey, urlTtl).toString(), image.createdAt);
    }

    private static List<Number> withIntegerClass(List<Double> row) {
        List<Number> out = new ArrayList<>(row);
        out.set(0, (int) Math.round(row.get(0)));
        return out;
    }
}
