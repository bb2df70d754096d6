package io.visionplatform.model.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.model.Model;

@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<Model, String> {

    /** A live model of this account; null for anyone else's, so they see NOT_FOUND. */
    public Uni<Model> findLive(String accountId, String modelId) {
        return find("id = :id and accountId = :account and deletedAt is null",
                Parameters.with("id", modelId).and("account", accountId))
                .firstResult();
    }

    /** As {@link #findLive}, failing with NOT_FOUND (the same answer for another account's model). */
    public Uni<Model> requireLive(String accountId, String modelId) {
        return findLive(accountId, modelId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("model", modelId));
    }

    public Uni<Model> findLiveBySlug(String projectId, String slug) {
        return find("projectId = :project and slug = :slug and deletedAt is null",
                Parameters.with("project", projectId).and("slug", slug))
                .firstResult();
    }

    public Uni<Boolean> slugTaken(String projectId, String slug) {
        return count("projectId = :project and slug = :slug and deletedAt is null",
                Parameters.with("project", projectId).and("slug", slug))
                .map(count -> count > 0);
    }

    public Uni<List<Model>> listLive(String accountId, String projectId, String task, int page, int limit) {
        return live(accountId, projectId, task)
                .page(Page.of(page - 1, limit))
                .list();
    }

    public Uni<Long> countLive(String accountId, String projectId, String task) {
        return live(accountId, projectId, task).count();
    }

    /** Live models per project id, for the given projects (absent = none). */
    public Uni<Map<String, Long>> countLiveByProject(List<String> projectIds) {
        if (projectIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return getSession()
                .chain(session -> session.createSelectionQuery("""
                        select m.projectId, count(m) from Model m
                        where m.projectId in :projects and m.deletedAt is null group by m.projectId""", Object[].class)
                        .setParameter("projects", projectIds)
                        .getResultList())
                .map(rows -> rows.stream()
                        .collect(Collectors.toMap(row -> (String) row[0], row -> ((Number) row[1]).longValue())));
    }

    public Uni<List<Model>> liveOfProject(String projectId) {
        return list("projectId = :project and deletedAt is null", Parameters.with("project", projectId));
    }

    /** Models trashed together with their project (same moment), restored with it. */
    public Uni<List<Model>> trashedWith(String projectId, Instant deletedAt) {
        return list("projectId = :project and deletedAt = :at",
                Parameters.with("project", projectId).and("at", deletedAt));
    }

    public Uni<List<Model>> ofProject(String projectId) {
        return list("projectId", projectId);
    }

    /** Models trashed one by one, while their project stays live. */
    public Uni<List<Model>> listTrashedAlone(String accountId) {
        return list("""
                accountId = :account and deletedAt is not null
                and projectId in (select p.id from Project p where p.deletedAt is null)""",
                Sort.by("deletedAt", Sort.Direction.Descending), Parameters.with("account", accountId));
    }

    public Uni<Model> findTrashed(String accountId, String modelId) {
        return find("id = :id and accountId = :account and deletedAt is not null",
                Parameters.with("id", modelId).and("account", accountId))
                .firstResult();
    }

    public Uni<List<Model>> listExpired(Instant cutoff, int limit) {
        return find("deletedAt < :cutoff", Sort.by("deletedAt"), Parameters.with("cutoff", cutoff))
                .page(Page.ofSize(limit))
                .list();
    }

    private PanacheQuery<Model> live(String accountId, String projectId, String task) {
        StringBuilder query = new StringBuilder("accountId = :account and deletedAt is null");
        Parameters parameters = Parameters.with("account", accountId);
        if (projectId != null) {
            query.append(" and projectId = :project");
            parameters = parameters.and("project", projectId);
        }
        if (task != null) {
            query.append(" and task = :task");
            parameters = parameters.and("task", task);
        }
        return find(query.toString(), Sort.by("createdAt", Sort.Direction.Descending).and("id"), parameters);
    }
}
