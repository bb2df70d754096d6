package io.visionplatform.dataset.service;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.DatasetExport;
import io.visionplatform.dataset.DatasetImage;
import io.visionplatform.dataset.config.DatasetsConfig;
import io.visionplatform.dataset.ingest.DatasetTask;
import io.visionplatform.dataset.repository.DatasetExportRepository;
import io.visionplatform.dataset.repository.DatasetImageRepository;
import io.visionplatform.dataset.repository.DatasetRepository;
import io.visionplatform.dataset.rest.DatasetExportView;

/**
 * Dataset versions and their NDJSON files. A version is immutable: the images up to a watermark and the class names
 * of the moment; a new one is made only when the dataset changed. Its file is rendered again, with fresh signed
 * URLs, once the last render is older than a few minutes, so every URL handed out lives about the full TTL.
 */
@ApplicationScoped
public class DatasetExportService {

    private static final int SLICE = 1000;

    private final DatasetRepository datasets;
    private final DatasetImageRepository images;
    private final DatasetExportRepository exports;
    private final NdjsonRenderer renderer;
    private final StoredJson json;
    private final Outbox outbox;
    private final StorageClient storage;
    private final Vertx vertx;
    private final Duration urlTtl;
    private final Duration reuseRenderFor;

    public DatasetExportService(DatasetRepository datasets, DatasetImageRepository images,
            DatasetExportRepository exports, NdjsonRenderer renderer, StoredJson json, Outbox outbox,
            StorageClient storage, Vertx vertx, DatasetsConfig config) {
        this.datasets = datasets;
        this.images = images;
        this.exports = exports;
        this.renderer = renderer;
        this.json = json;
        this.outbox = outbox;
        this.storage = storage;
        this.vertx = vertx;
        this.urlTtl = config.export().urlTtl();
        this.reuseRenderFor = config.export().reuseRenderFor();
    }

    /** {@code POST /api/datasets/{id}/export}: the current version, made if the dataset changed, and its URL. */
    public Uni<DatasetExportView> export(String accountId, String datasetId) {
        return exportOf(() -> datasets.requireLive(accountId, datasetId));
    }

    /** The SDK's {@code ul://{username}/datasets/{slug}}: the same, found by owner and slug. */
    public Uni<DatasetExportView> exportBySlug(String accountId, String username, String slug) {
        return exportOf(() -> datasets.findLiveBySlug(accountId, username, slug)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("dataset", username + "/" + slug)));
    }

    @WithSession
    public Uni<List<DatasetExportView>> versions(String accountId, String datasetId) {
        return datasets.requireLive(accountId, datasetId)
                .chain(dataset -> exports.listOf(datasetId)
                        .map(found -> found.stream()
                                .map(version -> withoutUrl(toView(new ExportTarget(dataset, version))))
                                .toList()));
    }

    private Uni<DatasetExportView> exportOf(Supplier<Uni<Dataset>> dataset) {
        return Panache.withTransaction(() -> dataset.get()
                .chain(this::currentVersion))
                .chain(this::renderedRecently)
                .map(this::toView);
    }

    /** Refuses while an ingest runs or before any image arrived; otherwise reuses or makes the version. */
    private Uni<ExportTarget> currentVersion(Dataset dataset) {
        if ("processing".equals(dataset.status)) {
            return Uni.createFrom().failure(new PlatformException(ErrorCode.VALIDATION_ERROR, 409,
                    "Dataset is still processing an upload; try again when its status is ready",
                    Map.of("status", dataset.status)));
        }
        if (dataset.imageCount == 0) {
            return Uni.createFrom().failure(new PlatformException(ErrorCode.VALIDATION_ERROR, 409,
                    "Dataset has no images yet; upload some to POST /api/datasets/" + dataset.id + "/images",
                    Map.of("imageCount", 0)));
        }
        return images.maxSeq(dataset.id)
                .chain(seqMax -> exports.latest(dataset.id)
                        .chain(latest -> isCurrent(latest, dataset, seqMax)
                                ? Uni.createFrom().item(latest)
                                : newVersion(dataset, latest, seqMax)))
                .map(version -> new ExportTarget(dataset, version));
    }

    private Uni<DatasetExport> newVersion(Dataset dataset, DatasetExport latest, long seqMax) {
        int number = latest == null ? 1 : latest.version + 1;
        return images.bytesUpTo(dataset.id, seqMax)
                .map(bytes -> {
                    DatasetExport version = new DatasetExport();
                    version.id = Ids.newId("export");
                    version.datasetId = dataset.id;
                    version.version = number;
                    version.imageSeqMax = seqMax;
                    version.imageCount = dataset.imageCount;
                    version.imageBytes = bytes;
                    version.classNames = dataset.classNames;
                    version.objectKey = ObjectKeys.export(dataset.id, number, dataset.slug);
                    version.createdAt = Instant.now();
                    return version;
                })
                .call(exports::persist)
                .call(version -> outbox.append(Topics.DATASETS, "dataset.exported", dataset.accountId, dataset.id,
                        Map.of("version", version.version, "imageCount", version.imageCount, "bytes",
                                version.imageBytes)));
    }

    private Uni<ExportTarget> renderedRecently(ExportTarget target) {
        Instant renderedAt = target.version().renderedAt;
        if (renderedAt != null && renderedAt.isAfter(Instant.now().minus(reuseRenderFor))) {
            return Uni.createFrom().item(target);
        }
        return render(target);
    }

    /** Writes the NDJSON file to local disk slice by slice, uploads it and notes when. */
    private Uni<ExportTarget> render(ExportTarget target) {
        DatasetExport version = target.version();
        Instant renderedAt = Instant.now();
        return vertx.executeBlocking(Uni.createFrom()
                .item(() -> startFile(renderer.datasetLine(target.dataset(), version))))
                .call(file -> appendSlices(file, target, 0L))
                .call(file -> storage.put(version.objectKey, file, "application/x-ndjson"))
                .chain(file -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> sizeAndDelete(file))))
                .chain(bytes -> Panache.withTransaction(() -> exports.findById(version.id)
                        .invoke(stored -> {
                            stored.bytes = bytes;
                            stored.renderedAt = renderedAt;
                        })))
                .map(stored -> new ExportTarget(target.dataset(), stored));
    }

    private Uni<Void> appendSlices(Path file, ExportTarget target, long afterSeq) {
        DatasetTask task = DatasetTask.of(target.dataset().task);
        return Panache.withSession(() -> images.versionSlice(target.dataset().id, afterSeq,
                target.version().imageSeqMax, SLICE))
                .chain(slice -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> appendImages(file, slice, task)))
                        .chain(() -> slice.size() < SLICE
                                ? Uni.createFrom().voidItem()
                                : appendSlices(file, target, slice.get(slice.size() - 1).seq)));
    }

    private Path startFile(String header) {
        try {
            Path file = Files.createTempFile("dataset-export-", ".ndjson");
            Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the NDJSON file", e);
        }
    }

    private Path appendImages(Path file, List<DatasetImage> slice, DatasetTask task) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (DatasetImage image : slice) {
                out.write(renderer.imageLine(image, task, key -> storage.presignGet(key, urlTtl)));
                out.write('\n');
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the NDJSON file", e);
        }
    }

    private static long sizeAndDelete(Path file) {
        try {
            long size = Files.size(file);
            Files.delete(file);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the rendered NDJSON file", e);
        }
    }

    private DatasetExportView toView(ExportTarget target) {
        DatasetExport version = target.version();
        URI url = storage.presignGet(version.objectKey, urlTtl);
        Instant expiresAt = version.renderedAt == null ? null : Instant.now().plus(urlTtl);
        return new DatasetExportView(version.datasetId, version.version, version.renderedAt == null ? null
                : url.toString(), expiresAt, version.objectKey.substring(version.objectKey.lastIndexOf('/') + 1),
                version.imageCount, json.classNames(version.classNames), version.bytes, version.createdAt,
                version.renderedAt);
    }

    /** Listed versions carry no URL: an old render's image URLs may have expired; POST export signs anew. */
    private static DatasetExportView withoutUrl(DatasetExportView view) {
        return new DatasetExportView(view.datasetId(), view.version(), null, null, view.fileName(), view.imageCount(),
                view.classNames(), view.bytes(), view.createdAt(), view.renderedAt());
    }

    private static boolean isCurrent(DatasetExport latest, Dataset dataset, long seqMax) {
        return latest != null && latest.imageSeqMax == seqMax && latest.classNames.equals(dataset.classNames);
    }
}
