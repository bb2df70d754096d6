package io.visionplatform.model.service;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.api.PageMeta;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.storage.ContentHash;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.common.trash.DeletedView;
import io.visionplatform.model.Model;
import io.visionplatform.model.ModelFile;
import io.visionplatform.model.Project;
import io.visionplatform.model.config.ModelsConfig;
import io.visionplatform.model.inspect.InspectedModel;
import io.visionplatform.model.inspect.ModelInspector;
import io.visionplatform.model.repository.ModelFileRepository;
import io.visionplatform.model.repository.ModelRepository;
import io.visionplatform.model.repository.ProjectRepository;
import io.visionplatform.model.rest.ModelFileView;
import io.visionplatform.model.rest.ModelView;

/**
 * Models: uploaded weights (their metadata read from the file), untrained architectures, listing, trash and the
 * signed URLs of their files.
 */
@ApplicationScoped
public class ModelService {

    private final ModelRepository models;
    private final ProjectRepository projects;
    private final ModelFileRepository files;
    private final ModelInspector inspector;
    private final ModelMapper mapper;
    private final Outbox outbox;
    private final StorageClient storage;
    private final ModelsConfig config;
    private final Vertx vertx;

    public ModelService(ModelRepository models, ProjectRepository projects, ModelFileRepository files,
            ModelInspector inspector, ModelMapper mapper, Outbox outbox, StorageClient storage, ModelsConfig config,
            Vertx vertx) {
        this.models = models;
        this.projects = projects;
        this.files = files;
        this.inspector = inspector;
        this.mapper = mapper;
        this.outbox = outbox;
        this.storage = storage;
        this.config = config;
        this.vertx = vertx;
    }

    @WithSession
    public Uni<ApiResponse<List<ModelView>>> list(String accountId, String projectId, String task, int page,
            int limit) {
        return models.listLive(accountId, projectId, task, page, limit)
                .chain(found -> models.countLive(accountId, projectId, task)
                        .map(total -> ApiResponse.page(found.stream()
                                .map(mapper::toView)
                                .toList(), new PageMeta(page, limit, total))));
    }

    @WithSession
    public Uni<ModelView> get(String accountId, String modelId) {
        return models.requireLive(accountId, modelId)
                .map(mapper::toView);
    }

    /** An untrained model: the architecture training starts from, with the dataset's classes applied then. */
    @WithTransaction
    public Uni<ModelView> createUntrained(InternalIdentity owner, String projectId, String name, String architecture) {
        return projects.requireLive(owner.accountId(), projectId)
                .chain(project -> uniqueSlug(project, name))
                .map(slug -> newModel(owner, projectId, name, slug))
                .invoke(model -> {
                    model.status = "untrained";
                    model.architecture = architecture;
                })
                .call(models::persist)
                .call(model -> announce(model, "model.created"))
                .map(mapper::toView);
    }

    /**
     * Reads the file's metadata (refusing what is not a model), stores it under the new model's own prefix, then
     * records the model; the transaction never waits on the upload to the store.
     */
    public Uni<ModelView> createFromFile(InternalIdentity owner, String projectId, String name, FileUpload upload) {
        String modelId = Ids.newId("model");
        return Panache.withSession(() -> projects.requireLive(owner.accountId(), projectId))
                .chain(() -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> inspectUpload(upload))))
                .chain(inspected -> storeWeights(modelId, Slugs.of(name, "model"), upload.uploadedFile(), inspected)
                        .chain(weights -> Panache.withTransaction(() -> projects.requireLive(owner.accountId(), projectId)
                                .chain(project -> uniqueSlug(project, name))
                                .chain(slug -> record(owner, projectId, name, slug, modelId, inspected, weights)))))
                .map(mapper::toView);
    }

    @WithTransaction
    public Uni<DeletedView> moveToTrash(String accountId, String modelId) {
        Instant now = Instant.now();
        return models.requireLive(accountId, modelId)
                .invoke(model -> {
                    model.deletedAt = now;
                    model.updatedAt = now;
                })
                .call(model -> announce(model, "model.deleted"))
                .map(model -> new DeletedView(model.id, "model", now, now.plus(ProjectService.TRASH_RETENTION)));
    }

    @WithSession
    public Uni<List<ModelFileView>> files(String accountId, String modelId) {
        Instant expiresAt = Instant.now().plus(config.downloadUrlTtl());
        return models.requireLive(accountId, modelId)
                .chain(model -> files.listOf(model.id))
                .map(found -> found.stream()
                        .map(file -> new ModelFileView(file.id, file.kind, file.format, file.fileName, file.bytes,
                                storage.presignGet(file.objectKey, config.downloadUrlTtl(), file.fileName).toString(),
                                expiresAt, file.createdAt))
                        .toList());
    }

    /** The SDK's {@code ul://{user}/{project}/{model}}: a signed URL of the model's {@code .pt} weights. */
    @WithSession
    public Uni<String> ptDownloadUrl(String accountId, String username, String projectSlug, String modelSlug) {
        return projects.findLiveBySlug(accountId, username, projectSlug)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("project", username + "/" + projectSlug))
                .chain(project -> models.findLiveBySlug(project.id, modelSlug))
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("model", username + "/" + projectSlug + "/" + modelSlug))
                .chain(model -> files.ptWeightsOf(model.id))
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("model .pt weights", modelSlug))
                .map(weights -> storage.presignGet(weights.objectKey, config.downloadUrlTtl()).toString());
    }

    private Uni<String> uniqueSlug(Project project, String name) {
        return Slugs.firstFree(Slugs.of(name, "model"), slug -> models.slugTaken(project.id, slug));
    }

    private InspectedModel inspectUpload(FileUpload upload) {
        if (upload.size() == 0) {
            throw PlatformException.invalidField("file", "is empty (0 bytes)");
        }
        if (upload.size() > config.maxModelSize().asLongValue()) {
            throw PlatformException.invalidField("file", "is larger than " + config.maxModelSize().asLongValue()
                    + " bytes");
        }
        return inspector.inspect(upload.uploadedFile(), upload.fileName());
    }

    private Uni<ModelFile> storeWeights(String modelId, String slug, Path file, InspectedModel inspected) {
        String key = ObjectKeys.weights(modelId, slug, inspected.extension());
        return storage.put(key, file, "application/octet-stream")
                .chain(stored -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> ContentHash.sha256(file)))
                        .map(hash -> {
                            ModelFile weights = new ModelFile();
                            weights.id = Ids.newId("file");
                            weights.modelId = modelId;
                            weights.kind = "weights";
                            weights.format = inspected.format();
                            weights.fileName = key.substring(key.lastIndexOf('/') + 1);
                            weights.objectKey = key;
                            weights.bytes = stored.size();
                            weights.contentHash = hash;
                            weights.createdAt = Instant.now();
                            return weights;
                        }));
    }

    private Uni<Model> record(InternalIdentity owner, String projectId, String name, String slug, String modelId,
            InspectedModel inspected, ModelFile weights) {
        Model model = newModel(owner, projectId, name, slug);
        model.id = modelId;
        model.status = "ready";
        model.task = inspected.task();
        model.classNames = mapper.write(inspected.classNames());
        model.imgsz = inspected.imgsz();
        model.stride = inspected.stride();
        model.end2end = inspected.end2end();
        model.format = inspected.format();
        model.fileSize = weights.bytes;
        return models.persist(model)
                .call(() -> files.persist(weights))
                .call(() -> announce(model, "model.created"))
                .call(() -> outbox.append(Topics.USAGE, "storage.changed", model.accountId, model.id, Map.of(
                        "service", "models", "bytesDelta", weights.bytes)));
    }

    private Uni<Void> announce(Model model, String type) {
        return outbox.append(Topics.MODELS, type, model.accountId, model.id, Map.of(
                "projectId", model.projectId,
                "name", model.name,
                "status", model.status,
                "fileSize", model.fileSize))
                .replaceWithVoid();
    }

    private static Model newModel(InternalIdentity owner, String projectId, String name, String slug) {
        Instant now = Instant.now();
        Model model = new Model();
        model.id = Ids.newId("model");
        model.accountId = owner.accountId();
        model.projectId = projectId;
        model.name = name.trim();
        model.slug = slug;
        model.task = "detect";
        model.classNames = "[]";
        model.metrics = "{}";
        model.createdAt = now;
        model.updatedAt = now;
        return model;
    }
}
