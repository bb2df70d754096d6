package io.visionplatform.model.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.common.trash.EmptiedView;
import io.visionplatform.common.trash.TrashItemView;
import io.visionplatform.model.Model;
import io.visionplatform.model.Project;
import io.visionplatform.model.repository.ModelRepository;
import io.visionplatform.model.repository.ProjectRepository;

/**
 * The projects-and-models half of the trash. A project goes with the models it held; a model trashed on its own is
 * listed on its own. The purge deletes a model's objects from the bucket before its rows.
 */
@ApplicationScoped
public class ModelTrashService {

    private static final Logger LOG = Logger.getLogger(ModelTrashService.class);
    private static final int PURGE_BATCH = 100;

    private final ProjectRepository projects;
    private final ModelRepository models;
    private final Outbox outbox;
    private final StorageClient storage;

    public ModelTrashService(ProjectRepository projects, ModelRepository models, Outbox outbox,
            StorageClient storage) {
        this.projects = projects;
        this.models = models;
        this.outbox = outbox;
        this.storage = storage;
    }

    @WithSession
    public Uni<List<TrashItemView>> list(String accountId) {
        return projects.listTrashed(accountId)
                .chain(trashedProjects -> models.listTrashedAlone(accountId)
                        .map(trashedModels -> {
                            List<TrashItemView> items = new ArrayList<>();
                            trashedProjects.forEach(project -> items.add(new TrashItemView(project.id, "project",
                                    project.name, project.deletedAt, purgeAfter(project.deletedAt), 0)));
                            trashedModels.forEach(model -> items.add(new TrashItemView(model.id, "model", model.name,
                                    model.deletedAt, purgeAfter(model.deletedAt), model.fileSize)));
                            items.sort(Comparator.comparing(TrashItemView::deletedAt).reversed());
                            return items;
                        }));
    }

    /** Restores a project with the models trashed together with it, or a model whose project is live. */
    @WithTransaction
    public Uni<Object> restore(String accountId, String type, String itemId) {
        return "project".equals(type) ? restoreProject(accountId, itemId).map(project -> (Object) Map.of(
                "id", project.id, "type", "project", "slug", project.slug))
                : restoreModel(accountId, itemId).map(model -> (Object) Map.of(
                        "id", model.id, "type", "model", "slug", model.slug));
    }

    @WithTransaction
    public Uni<EmptiedView> empty(String accountId) {
        return projects.listTrashed(accountId)
                .chain(trashedProjects -> models.listTrashedAlone(accountId)
                        .call(this::purgeModels)
                        .chain(trashedModels -> purgeProjects(trashedProjects)
                                .map(ignored -> new EmptiedView(trashedProjects.size() + trashedModels.size()))));
    }

    /** Deletes for good what has been in the trash longer than the retention, in batches. */
    @Scheduled(every = "1h", delayed = "5m")
    @WithTransaction
    Uni<Void> purgeExpired() {
        Instant cutoff = Instant.now().minus(ProjectService.TRASH_RETENTION);
        return projects.listExpired(cutoff, PURGE_BATCH)
                .call(this::purgeProjects)
                .chain(() -> models.listExpired(cutoff, PURGE_BATCH))
                .call(this::purgeModels)
                .invoke(purged -> {
                    if (!purged.isEmpty()) {
                        LOG.infof("Purged %d models past their 30 days in the trash", purged.size());
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Project> restoreProject(String accountId, String projectId) {
        return projects.findTrashed(accountId, projectId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("trashed project", projectId))
                .call(project -> models.trashedWith(project.id, project.deletedAt)
                        .invoke(together -> together.forEach(model -> model.deletedAt = null)))
                .call(project -> Slugs.firstFree(project.slug, slug -> projects.slugTaken(accountId, slug))
                        .invoke(slug -> {
                            project.slug = slug;
                            project.deletedAt = null;
                            project.updatedAt = Instant.now();
                        }))
                .call(project -> outbox.append(Topics.MODELS, "project.restored", accountId, project.id,
                        Map.of("slug", project.slug)));
    }

    private Uni<Model> restoreModel(String accountId, String modelId) {
        return models.findTrashed(accountId, modelId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("trashed model", modelId))
                .call(model -> projects.findLive(accountId, model.projectId)
                        .onItem()
                        .ifNull()
                        .failWith(() -> new PlatformException(ErrorCode.VALIDATION_ERROR, 409,
                                "The model's project is in the trash: restore the project first",
                                Map.of("projectId", model.projectId))))
                .call(model -> Slugs.firstFree(model.slug, slug -> models.slugTaken(model.projectId, slug))
                        .invoke(slug -> {
                            model.slug = slug;
                            model.deletedAt = null;
                            model.updatedAt = Instant.now();
                        }))
                .call(model -> outbox.append(Topics.MODELS, "model.restored", accountId, model.id,
                        Map.of("slug", model.slug)));
    }

    private Uni<Void> purgeProjects(List<Project> trashed) {
        return Multi.createFrom()
                .iterable(trashed)
                .onItem()
                .transformToUniAndConcatenate(project -> models.ofProject(project.id)
                        .call(this::purgeModels)
                        .chain(() -> outbox.append(Topics.MODELS, "project.purged", project.accountId, project.id,
                                Map.of("name", project.name)))
                        .chain(() -> projects.delete(project)))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> purgeModels(List<Model> trashed) {
        return Multi.createFrom()
                .iterable(trashed)
                .onItem()
                .transformToUniAndConcatenate(model -> storage.deleteByPrefix(ObjectKeys.modelPrefix(model.id))
                        .chain(() -> outbox.append(Topics.MODELS, "model.purged", model.accountId, model.id,
                                Map.of("fileSize", model.fileSize)))
                        .chain(() -> model.fileSize == 0 ? Uni.createFrom().voidItem()
                                : outbox.append(Topics.USAGE, "storage.changed", model.accountId, model.id, Map.of(
                                        "service", "models", "bytesDelta", -model.fileSize))
                                        .replaceWithVoid())
                        .chain(() -> models.delete(model)))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static Instant purgeAfter(Instant deletedAt) {
        return deletedAt.plus(ProjectService.TRASH_RETENTION);
    }
}
