package io.visionplatform.model.service;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.model.Model;
import io.visionplatform.model.Project;
import io.visionplatform.model.repository.ModelRepository;
import io.visionplatform.model.repository.ProjectRepository;
import io.visionplatform.model.rest.ModelView;
import io.visionplatform.model.rest.RegisterTrainingModelRequest;
import io.visionplatform.model.rest.RegisteredTrainingModelView;
import io.visionplatform.model.rest.TrainingResultRequest;

/**
 * The model side of training: the model an SDK run names ({@code project="user/proj", name="exp"}) and the trained
 * model's metrics and class names. Its weights arrive separately, through the SDK upload.
 */
@ApplicationScoped
public class TrainingModelService {

    private final ProjectRepository projects;
    private final ModelRepository models;
    private final ModelMapper mapper;
    private final Outbox outbox;

    public TrainingModelService(ProjectRepository projects, ModelRepository models, ModelMapper mapper,
            Outbox outbox) {
        this.projects = projects;
        this.models = models;
        this.mapper = mapper;
        this.outbox = outbox;
    }

    /**
     * The run belongs to the caller's account whatever user prefix {@code project} carries; the project is found by
     * slug or created, and the model is always new (its slug renamed, {@code exp} → {@code exp-2}, when taken).
     */
    @WithTransaction
    public Uni<RegisteredTrainingModelView> register(InternalIdentity owner, RegisterTrainingModelRequest request) {
        String projectName = request.project().contains("/")
                ? request.project().substring(request.project().indexOf('/') + 1)
                : request.project();
        String projectSlug = Slugs.of(projectName, "project");
        return projects.findLiveBySlug(owner.accountId(), owner.username(), projectSlug)
                .onItem()
                .ifNull()
                .switchTo(() -> createProject(owner, projectName))
                .chain(project -> Slugs.firstFree(Slugs.of(request.name(), "model"),
                        slug -> models.slugTaken(project.id, slug))
                        .map(slug -> newModel(owner, project, request.name(), slug))
                        .call(models::persist)
                        .call(model -> outbox.append(Topics.MODELS, "model.created", owner.accountId(), model.id,
                                Map.of("projectId", model.projectId, "name", model.name, "status", model.status,
                                        "fileSize", model.fileSize)))
                        .map(model -> new RegisteredTrainingModelView(model.id, model.slug, project.id, project.slug)));
    }

    @WithTransaction
    public Uni<ModelView> recordResult(String accountId, String modelId, TrainingResultRequest request) {
        return models.requireLive(accountId, modelId)
                .invoke(model -> {
                    if (request.metrics() != null) {
                        model.metrics = mapper.write(request.metrics());
                    }
                    if (request.classNames() != null && !request.classNames().isEmpty()) {
                        model.classNames = mapper.write(request.classNames());
                    }
                    if (request.imgsz() != null && model.imgsz == null) {
                        model.imgsz = request.imgsz();
                    }
                    model.updatedAt = Instant.now();
                })
                .call(model -> outbox.append(Topics.MODELS, "model.trained", accountId, model.id, Map.of(
                        "runId", request.runId(), "status", model.status,
                        "metrics", request.metrics() == null ? Map.of() : request.metrics())))
                .map(mapper::toView);
    }

    private Uni<Project> createProject(InternalIdentity owner, String name) {
        return Slugs.firstFree(Slugs.of(name, "project"), slug -> projects.slugTaken(owner.accountId(), slug))
                .map(slug -> {
                    Instant now = Instant.now();
                    Project project = new Project();
                    project.id = Ids.newId("project");
                    project.accountId = owner.accountId();
                    project.ownerUsername = owner.username();
                    project.name = name.trim();
                    project.slug = slug;
                    project.createdAt = now;
                    project.updatedAt = now;
                    return project;
                })
                .call(projects::persist)
                .call(project -> outbox.append(Topics.MODELS, "project.created", owner.accountId(), project.id,
                        Map.of("name", project.name, "slug", project.slug)));
    }

    private static Model newModel(InternalIdentity owner, Project project, String name, String slug) {
        Instant now = Instant.now();
        Model model = new Model();
        model.id = Ids.newId("model");
        model.accountId = owner.accountId();
        model.projectId = project.id;
        model.name = name.trim();
        model.slug = slug;
        model.task = "detect";
        model.status = "untrained";
        model.classNames = "[]";
        model.metrics = "{}";
        model.createdAt = now;
        model.updatedAt = now;
        return model;
    }
}
