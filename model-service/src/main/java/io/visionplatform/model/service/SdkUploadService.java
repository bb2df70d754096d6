package io.visionplatform.model.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.common.storage.StoredObject;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.model.Model;
import io.visionplatform.model.ModelFile;
import io.visionplatform.model.ModelUpload;
import io.visionplatform.model.inspect.InspectedModel;
import io.visionplatform.model.inspect.ModelInspector;
import io.visionplatform.model.repository.ModelFileRepository;
import io.visionplatform.model.repository.ModelRepository;
import io.visionplatform.model.repository.ModelUploadRepository;
import io.visionplatform.model.repository.ProjectRepository;
import io.visionplatform.model.rest.SdkUploadRequest;
import io.visionplatform.model.rest.SdkUploadView;

/**
 * The SDK's checkpoint uploads: a presigned PUT straight into the bucket, then — whenever the object shows up, before
 * or after the training events that mention it — the file is read like any upload and attached as the model's
 * weights. Uploads whose object never arrives expire after a day.
 */
@ApplicationScoped
public class SdkUploadService {

    private static final Logger LOG = Logger.getLogger(SdkUploadService.class);
    private static final Duration PUT_URL_TTL = Duration.ofHours(6);
    private static final Duration EXPIRY = Duration.ofDays(1);
    private static final int BATCH = 50;

    private final ModelRepository models;
    private final ProjectRepository projects;
    private final ModelUploadRepository uploads;
    private final ModelFileRepository files;
    private final ModelInspector inspector;
    private final ModelMapper mapper;
    private final Outbox outbox;
    private final StorageClient storage;
    private final Vertx vertx;

    public SdkUploadService(ModelRepository models, ProjectRepository projects, ModelUploadRepository uploads,
            ModelFileRepository files, ModelInspector inspector, ModelMapper mapper, Outbox outbox,
            StorageClient storage, Vertx vertx) {
        this.models = models;
        this.projects = projects;
        this.uploads = uploads;
        this.files = files;
        this.inspector = inspector;
        this.mapper = mapper;
        this.outbox = outbox;
        this.storage = storage;
        this.vertx = vertx;
    }

    @WithTransaction
    public Uni<SdkUploadView> start(InternalIdentity caller, SdkUploadRequest request) {
        return modelOf(caller, request)
                .map(model -> newUpload(caller, model, request))
                .call(uploads::persist)
                .map(upload -> new SdkUploadView(
                        storage.presignPut(upload.objectKey, PUT_URL_TTL, "application/octet-stream").toString(),
                        upload.objectKey, upload.objectKey));
    }

    /** Attaches the uploads whose objects have arrived; expires those that never will. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> attachArrived() {
        return Panache.withSession(() -> uploads.pending(BATCH))
                .onItem()
                .transformToMulti(pending -> Multi.createFrom().iterable(pending))
                .onItem()
                .transformToUniAndConcatenate(upload -> storage.head(upload.objectKey)
                        .chain(object -> object.isPresent() ? attach(upload, object.get()) : expireIfOld(upload))
                        .onFailure()
                        .invoke(failure -> LOG.warnf("Upload %s not attached yet: %s", upload.id,
                                failure.getMessage()))
                        .onFailure()
                        .recoverWithNull())
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> attach(ModelUpload upload, StoredObject object) {
        return vertx.executeBlocking(Uni.createFrom()
                .item(() -> inspectDownloaded(upload)))
                .chain(inspected -> Panache.withTransaction(() -> uploads.findById(upload.id)
                        .chain(current -> "pending".equals(current.state)
                                ? models.findById(current.modelId)
                                        .call(model -> recordWeights(current, model, object, inspected))
                                        .replaceWithVoid()
                                : Uni.createFrom().voidItem())))
                .onFailure(PlatformException.class)
                .recoverWithUni(refused -> Panache.withTransaction(() -> uploads.findById(upload.id)
                        .invoke(current -> {
                            current.state = "failed";
                            current.message = refused.getMessage();
                        }))
                        .replaceWithVoid());
    }

    private Uni<Void> recordWeights(ModelUpload upload, Model model, StoredObject object, InspectedModel inspected) {
        if (!"pt".equals(inspected.format()) && "pt".equals(model.format)) {
            return recordExport(upload, model, object, inspected);
        }
        Instant now = Instant.now();
        ModelFile weights = new ModelFile();
        weights.id = Ids.newId("file");
        weights.modelId = model.id;
        weights.kind = "weights";
        weights.format = inspected.format();
        weights.fileName = upload.fileName;
        weights.objectKey = upload.objectKey;
        weights.bytes = object.size();
        weights.createdAt = now;
        long delta = object.size() - model.fileSize;
        model.status = "ready";
        model.format = inspected.format();
        model.task = inspected.task();
        model.classNames = mapper.write(inspected.classNames());
        model.imgsz = inspected.imgsz();
        model.stride = inspected.stride();
        model.end2end = inspected.end2end();
        model.fileSize = object.size();
        model.updatedAt = now;
        upload.state = "attached";
        upload.attachedAt = now;
        return files.persist(weights)
                .chain(() -> outbox.append(Topics.MODELS, "model.updated", model.accountId, model.id, Map.of(
                        "status", model.status, "format", model.format, "fileSize", model.fileSize,
                        "runId", upload.runId == null ? "" : upload.runId)))
                .chain(() -> outbox.append(Topics.USAGE, "storage.changed", model.accountId, model.id, Map.of(
                        "service", "models", "bytesDelta", delta)))
                .replaceWithVoid();
    }

    /**
     * A trainer's {@code best.onnx} beside the model's {@code .pt} weights: kept as a file of the model (an export),
     * so the .pt stays what predict and the SDK's download use.
     */
    private Uni<Void> recordExport(ModelUpload upload, Model model, StoredObject object, InspectedModel inspected) {
        Instant now = Instant.now();
        ModelFile export = new ModelFile();
        export.id = Ids.newId("file");
        export.modelId = model.id;
        export.kind = "export";
        export.format = inspected.format();
        export.fileName = upload.fileName;
        export.objectKey = upload.objectKey;
        export.bytes = object.size();
        export.createdAt = now;
        upload.state = "attached";
        upload.attachedAt = now;
        return files.persist(export)
                .chain(() -> outbox.append(Topics.USAGE, "storage.changed", model.accountId, model.id, Map.of(
                        "service", "models", "bytesDelta", object.size())))
                .replaceWithVoid();
    }

    private Uni<Void> expireIfOld(ModelUpload upload) {
        if (upload.createdAt.isAfter(Instant.now().minus(EXPIRY))) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> uploads.findById(upload.id)
                .invoke(current -> current.state = "expired"))
                .replaceWithVoid();
    }

    /** Blocking: the arrived object on local disk, read like an upload. */
    private InspectedModel inspectDownloaded(ModelUpload upload) {
        Path local = null;
        try {
            local = Files.createTempFile("sdk-upload-", "-" + upload.fileName);
            storage.download(upload.objectKey, local)
                    .await()
                    .indefinitely();
            return inspector.inspect(local, upload.fileName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (local != null) {
                local.toFile().delete();
            }
        }
    }

    private Uni<Model> modelOf(InternalIdentity caller, SdkUploadRequest request) {
        if (request.modelId() != null) {
            return models.requireLive(caller.accountId(), request.modelId());
        }
        if (request.project() == null || request.name() == null) {
            return Uni.createFrom().failure(PlatformException.invalidField("modelId",
                    "name the model by modelId, or by project (user/project) and name"));
        }
        String[] project = request.project().split("/", 2);
        return projects.findLiveBySlug(caller.accountId(), project[0], project[1])
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("project", request.project()))
                .chain(found -> models.findLiveBySlug(found.id, Slugs.of(request.name(), "model")))
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("model", request.project() + "/" + request.name()));
    }

    private static ModelUpload newUpload(InternalIdentity caller, Model model, SdkUploadRequest request) {
        ModelUpload upload = new ModelUpload();
        upload.id = Ids.newId("upload");
        upload.modelId = model.id;
        upload.accountId = caller.accountId();
        upload.fileName = request.filename();
        upload.objectKey = ObjectKeys.modelPrefix(model.id) + "uploads/" + upload.id + "/" + request.filename();
        upload.runId = request.runId();
        upload.state = "pending";
        upload.createdAt = Instant.now();
        return upload;
    }
}
