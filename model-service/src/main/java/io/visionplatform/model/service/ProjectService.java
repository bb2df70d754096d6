package io.visionplatform.model.service;

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
import io.visionplatform.model.Project;
import io.visionplatform.model.repository.ModelRepository;
import io.visionplatform.model.repository.ProjectRepository;
import io.visionplatform.model.rest.CreateProjectRequest;
import io.visionplatform.model.rest.ProjectView;

/** Projects: create with a per-owner slug, list, read, move to the trash together with their models. */
@ApplicationScoped
public class ProjectService {

    /** Trashed projects and models keep their data this long before the purge. */
    public static final Duration TRASH_RETENTION = Duration.ofDays(30);

    private final ProjectRepository projects;
    private final ModelRepository models;
    private final ModelMapper mapper;
    private final Outbox outbox;

    public ProjectService(ProjectRepository projects, ModelRepository models, ModelMapper mapper, Outbox outbox) {
        this.projects = projects;
        this.models = models;
        this.mapper = mapper;
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<ProjectView> create(InternalIdentity owner, CreateProjectRequest request) {
        return Slugs.firstFree(Slugs.of(request.name(), "project"), slug -> projects.slugTaken(owner.accountId(), slug))
                .map(slug -> newProject(owner, request, slug))
                .call(projects::persist)
                .call(project -> outbox.append(Topics.MODELS, "project.created", owner.accountId(), project.id,
                        Map.of("name", project.name, "slug", project.slug)))
                .map(project -> mapper.toView(project, 0));
    }

    @WithSession
    public Uni<ApiResponse<List<ProjectView>>> list(String accountId, int page, int limit) {
        return projects.listLive(accountId, page, limit)
                .chain(found -> models.countLiveByProject(found.stream()
                        .map(project -> project.id)
                        .toList())
                        .chain(counts -> projects.countLive(accountId)
                                .map(total -> ApiResponse.page(found.stream()
                                        .map(project -> mapper.toView(project, counts.getOrDefault(project.id, 0L)))
                                        .toList(), new PageMeta(page, limit, total)))));
    }

    @WithSession
    public Uni<ProjectView> get(String accountId, String projectId) {
        return projects.requireLive(accountId, projectId)
                .chain(project -> models.countLiveByProject(List.of(project.id))
                        .map(counts -> mapper.toView(project, counts.getOrDefault(project.id, 0L))));
    }

    /** The project and its live models go to the trash at the same instant, so they come back together. */
    @WithTransaction
    public Uni<DeletedView> moveToTrash(String accountId, String projectId) {
        Instant now = Instant.now();
        return projects.requireLive(accountId, projectId)
                .call(project -> models.liveOfProject(project.id)
                        .invoke(live -> live.forEach(model -> {
                            model.deletedAt = now;
                            model.updatedAt = now;
                        })))
                .invoke(project -> {
                    project.deletedAt = now;
                    project.updatedAt = now;
                })
                .call(project -> outbox.append(Topics.MODELS, "project.deleted", accountId, project.id,
                        Map.of("name", project.name)))
                .map(project -> new DeletedView(project.id, "project", now, now.plus(TRASH_RETENTION)));
    }

    private static Project newProject(InternalIdentity owner, CreateProjectRequest request, String slug) {
        Instant now = Instant.now();
        Project project = new Project();
        project.id = Ids.newId("project");
        project.accountId = owner.accountId();
        project.ownerUsername = owner.username();
        project.name = request.name().trim();
        project.slug = slug;
        project.description = request.description();
        project.createdAt = now;
        project.updatedAt = now;
        return project;
    }
}
