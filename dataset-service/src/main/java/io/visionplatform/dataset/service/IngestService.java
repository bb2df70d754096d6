package io.visionplatform.dataset.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.api.PageMeta;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.id.Ids;
import io.visionplatform.dataset.config.DatasetsConfig;
import io.visionplatform.dataset.ingest.DatasetTask;
import io.visionplatform.dataset.ingest.ScanResult;
import io.visionplatform.dataset.ingest.UploadRejectedException;
import io.visionplatform.dataset.ingest.UploadScanner;
import io.visionplatform.dataset.ingest.UploadedFile;
import io.visionplatform.dataset.repository.DatasetRepository;
import io.visionplatform.dataset.repository.IngestJobRepository;
import io.visionplatform.dataset.rest.IngestJobView;

/**
 * Accepts uploads: checks the multipart parts, scans the files (an unsafe or unusable upload is refused before
 * anything is kept), stages them in the bucket and queues an ingest job that {@link IngestWorker} runs.
 */
@ApplicationScoped
public class IngestService {

    /** The multipart field the files travel in. */
    public static final String FILE_FIELD = "file";

    private final DatasetRepository datasets;
    private final IngestJobRepository jobs;
    private final IngestRecorder recorder;
    private final IngestWorker worker;
    private final UploadStaging staging;
    private final IngestJobMapper mapper;
    private final DatasetsConfig config;
    private final Vertx vertx;

    public IngestService(DatasetRepository datasets, IngestJobRepository jobs, IngestRecorder recorder,
            IngestWorker worker, UploadStaging staging, IngestJobMapper mapper, DatasetsConfig config, Vertx vertx) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.recorder = recorder;
        this.worker = worker;
        this.staging = staging;
        this.mapper = mapper;
        this.config = config;
        this.vertx = vertx;
    }

    public Uni<IngestJobView> submit(String accountId, String datasetId, List<FileUpload> parts, String split) {
        String jobId = Ids.newId("ingest");
        return checkParts(parts)
                .chain(() -> taskOf(accountId, datasetId))
                .chain(task -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> scan(jobId, parts, task, split))))
                .chain(upload -> staging.stage(datasetId, jobId, upload.files())
                        .chain(staged -> recorder.enqueue(accountId, datasetId, jobId, split, upload.scan(), staged)))
                .invoke(worker::wake)
                .map(mapper::toView)
                .onFailure()
                .call(() -> discard(datasetId, jobId));
    }

    @WithSession
    public Uni<IngestJobView> get(String accountId, String datasetId, String jobId) {
        return datasets.requireLive(accountId, datasetId)
                .chain(() -> jobs.findOf(datasetId, jobId))
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("ingest job", jobId))
                .map(mapper::toView);
    }

    @WithSession
    public Uni<ApiResponse<List<IngestJobView>>> list(String accountId, String datasetId, int page, int limit) {
        return datasets.requireLive(accountId, datasetId)
                .chain(() -> jobs.page(datasetId, page, limit))
                .chain(found -> jobs.countOf(datasetId)
                        .map(total -> ApiResponse.page(found.stream()
                                .map(mapper::toView)
                                .toList(), new PageMeta(page, limit, total))));
    }

    /** Its own session: called from within this bean, where an interceptor binding would not apply. */
    private Uni<DatasetTask> taskOf(String accountId, String datasetId) {
        return Panache.withSession(() -> datasets.requireLive(accountId, datasetId))
                .map(dataset -> DatasetTask.of(dataset.task));
    }

    private Uni<Void> checkParts(List<FileUpload> parts) {
        List<String> otherFields = parts.stream()
                .map(FileUpload::name)
                .filter(name -> !FILE_FIELD.equals(name))
                .distinct()
                .toList();
        if (!otherFields.isEmpty()) {
            return Uni.createFrom().failure(PlatformException.validation(
                    "Files go in the multipart field '" + FILE_FIELD + "'",
                    Map.of("fields", Map.of(FILE_FIELD, "required"), "unexpectedFields", otherFields)));
        }
        if (parts.isEmpty()) {
            return Uni.createFrom().failure(PlatformException.invalidField(FILE_FIELD,
                    "send at least one file (a zip archive, an NDJSON file or images with label files)"));
        }
        if (parts.size() > config.ingest().maxFiles()) {
            return Uni.createFrom().failure(PlatformException.invalidField(FILE_FIELD,
                    "at most " + config.ingest().maxFiles() + " files per upload; send an archive instead"));
        }
        return Uni.createFrom().voidItem();
    }

    /** Blocking: moves the files out of the request and scans them. */
    private ScannedUpload scan(String jobId, List<FileUpload> parts, DatasetTask task, String split) {
        List<UploadedFile> files = staging.takeOver(jobId, parts);
        try {
            ScanResult scan = new UploadScanner(config.ingest().limits()).scan(files, task, split);
            return new ScannedUpload(files, scan);
        } catch (UploadRejectedException e) {
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("files", files.stream()
                    .map(UploadedFile::fileName)
                    .toList());
            throw PlatformException.validation("Upload refused: " + e.getMessage(), details);
        }
    }

    private Uni<Void> discard(String datasetId, String jobId) {
        return vertx.executeBlocking(Uni.createFrom()
                .item(() -> {
                    staging.discardLocal(jobId);
                    return jobId;
                }))
                .chain(() -> staging.discardStaged(datasetId, jobId))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private record ScannedUpload(List<UploadedFile> files, ScanResult scan) {
    }
}
