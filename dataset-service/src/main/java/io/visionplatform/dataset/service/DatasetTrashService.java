package io.visionplatform.dataset.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.common.trash.EmptiedView;
import io.visionplatform.common.trash.TrashItemView;
import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.repository.DatasetRepository;
import io.visionplatform.dataset.rest.DatasetView;

/**
 * The dataset half of the trash: list, restore (with a new slug if the old one was taken meanwhile), empty,
 * and the scheduled purge of datasets trashed more than 30 days ago, which deletes their objects from the bucket
 * before their rows, so a purge that fails halfway is simply retried.
 */
@ApplicationScoped
public class DatasetTrashService {

    private static final Logger LOG = Logger.getLogger(DatasetTrashService.class);
    private static final int PURGE_BATCH = 100;

    private final DatasetRepository datasets;
    private final DatasetMapper mapper;
    private final Outbox outbox;
    private final SlugAllocator slugs;
    private final StorageClient storage;

    public DatasetTrashService(DatasetRepository datasets, DatasetMapper mapper, Outbox outbox, SlugAllocator slugs,
            StorageClient storage) {
        this.datasets = datasets;
        this.mapper = mapper;
        this.outbox = outbox;
        this.slugs = slugs;
        this.storage = storage;
    }

    @WithSession
    public Uni<List<TrashItemView>> list(String accountId) {
        return datasets.listTrashed(accountId)
                .map(trashed -> trashed.stream()
                        .map(DatasetTrashService::toItem)
                        .toList());
    }

    @WithTransaction
    public Uni<DatasetView> restore(String accountId, String datasetId) {
        return datasets.findTrashed(accountId, datasetId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("trashed dataset", datasetId))
                .call(dataset -> slugs.firstFree(accountId, dataset.slug)
                        .invoke(slug -> {
                            dataset.slug = slug;
                            dataset.deletedAt = null;
                            dataset.updatedAt = Instant.now();
                        }))
                .call(dataset -> outbox.append(Topics.DATASETS, "dataset.restored", accountId, dataset.id,
                        Map.of("slug", dataset.slug, "totalBytes", dataset.totalBytes)))
                .map(mapper::toView);
    }

    @WithTransaction
    public Uni<EmptiedView> empty(String accountId) {
        return datasets.listTrashed(accountId)
                .call(this::purge)
                .map(purged -> new EmptiedView(purged.size()));
    }

    /** Deletes for good what has been in the trash longer than the retention, in batches. */
    @Scheduled(every = "1h", delayed = "5m")
    @WithTransaction
    Uni<Void> purgeExpired() {
        return datasets.listExpired(Instant.now().minus(DatasetService.TRASH_RETENTION), PURGE_BATCH)
                .call(this::purge)
                .invoke(purged -> {
                    if (!purged.isEmpty()) {
                        LOG.infof("Purged %d datasets past their 30 days in the trash", purged.size());
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> purge(List<Dataset> trashed) {
        return Multi.createFrom()
                .iterable(trashed)
                .onItem()
                .transformToUniAndConcatenate(dataset -> storage.deleteByPrefix(ObjectKeys.datasetPrefix(dataset.id))
                        .chain(() -> outbox.append(Topics.DATASETS, "dataset.purged", dataset.accountId, dataset.id,
                                Map.of("totalBytes", dataset.totalBytes)))
                        .chain(() -> outbox.append(Topics.USAGE, "storage.changed", dataset.accountId, dataset.id,
                                Map.of("service", "datasets", "bytesDelta", -dataset.totalBytes, "totalBytes", 0)))
                        .chain(() -> datasets.delete(dataset)))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static TrashItemView toItem(Dataset dataset) {
        return new TrashItemView(dataset.id, "dataset", dataset.name, dataset.deletedAt,
                dataset.deletedAt.plus(DatasetService.TRASH_RETENTION), dataset.totalBytes);
    }
}
