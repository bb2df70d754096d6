package io.visionplatform.dataset.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.api.PageMeta;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.common.trash.DeletedView;
import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.repository.DatasetRepository;
import io.visionplatform.dataset.rest.CreateDatasetRequest;
import io.visionplatform.dataset.rest.DatasetView;

/** Dataset lifecycle: create with a per-owner slug, list, read, move to the trash — each change with its event. */
@ApplicationScoped
public class DatasetService {

    /** Trashed datasets keep their data this long before the purge. */
    public static final Duration TRASH_RETENTION = Duration.ofDays(30);

    private final DatasetRepository datasets;
    private final DatasetMapper mapper;
    private final Outbox outbox;
    private final SlugAllocator slugs;

    public DatasetService(DatasetRepository datasets, DatasetMapper mapper, Outbox outbox, SlugAllocator slugs) {
        this.datasets = datasets;
        this.mapper = mapper;
        this.outbox = outbox;
        this.slugs = slugs;
    }

    @WithTransaction
    public Uni<DatasetView> create(InternalIdentity owner, CreateDatasetRequest request) {
        return slugs.firstFree(owner.accountId(), Slugs.of(request.name(), "dataset"))
                .map(slug -> newDataset(owner, request, slug))
                .call(datasets::persist)
                .call(dataset -> outbox.append(Topics.DATASETS, "dataset.created", owner.accountId(), dataset.id,
                        Map.of("name", dataset.name, "slug", dataset.slug, "task", dataset.task)))
                .map(mapper::toView);
    }

    @WithSession
    public Uni<ApiResponse<List<DatasetView>>> list(String accountId, String task, int page, int limit) {
        // One session runs one statement at a time: the page, then the count
        return datasets.listLive(accountId, task, page, limit)
                .chain(found -> datasets.countLive(accountId, task)
                        .map(total -> ApiResponse.page(found.stream()
                                .map(mapper::toView)
                                .toList(), new PageMeta(page, limit, total))));
    }

    @WithSession
    public Uni<DatasetView> get(String accountId, String datasetId) {
        return datasets.requireLive(accountId, datasetId)
                .map(mapper::toView);
    }

    @WithTransaction
    public Uni<DeletedView> moveToTrash(String accountId, String datasetId) {
        Instant now = Instant.now();
        return datasets.requireLive(accountId, datasetId)
                .invoke(dataset -> {
                    dataset.deletedAt = now;
                    dataset.updatedAt = now;
                })
                .call(dataset -> outbox.append(Topics.DATASETS, "dataset.deleted", accountId, dataset.id,
                        Map.of("name", dataset.name, "totalBytes", dataset.totalBytes)))
                .map(dataset -> new DeletedView(dataset.id, "dataset", now, now.plus(TRASH_RETENTION)));
    }

    private static Dataset newDataset(InternalIdentity owner, CreateDatasetRequest request, String slug) {
        Instant now = Instant.now();
        Dataset dataset = new Dataset();
        dataset.id = Ids.newId("dataset");
        dataset.accountId = owner.accountId();
        dataset.ownerUsername = owner.username();
        dataset.name = request.name().trim();
        dataset.slug = slug;
        dataset.description = request.description();
        dataset.task = request.taskOrDefault();
        dataset.visibility = "private";
        dataset.status = "ready";
        dataset.classNames = "[]";
        dataset.splits = "{}";
        dataset.createdAt = now;
        dataset.updatedAt = now;
        return dataset;
    }
}
