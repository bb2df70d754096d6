package io.visionplatform.model.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.model.Project;

@ApplicationScoped
public class ProjectRepository implements PanacheRepositoryBase<Project, String> {

    /** A live project of this account; null for anyone else's, so they see NOT_FOUND. */
    public Uni<Project> findLive(String accountId, String projectId) {
        return find("id = :id and accountId = :account and deletedAt is null",
                Parameters.with("id", projectId).and("account", accountId))
                .firstResult();
    }

    /** As {@link #findLive}, failing with NOT_FOUND (the same answer for another account's project). */
    public Uni<Project> requireLive(String accountId, String projectId) {
        return findLive(accountId, projectId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("project", projectId));
    }

    /** A live project by the SDK's {@code {username}/{slug}}, if this account owns it. */
    public Uni<Project> findLiveBySlug(String accountId, String username, String slug) {
        return find("accountId = :account and ownerUsername = :user and slug = :slug and deletedAt is null",
                Parameters.with("account", accountId).and("user", username).and("slug", slug))
                .firstResult();
    }

    public Uni<Boolean> slugTaken(String accountId, String slug) {
        return count("accountId = :account and slug = :slug and deletedAt is null",
                Parameters.with("account", accountId).and("slug", slug))
                .map(count -> count > 0);
    }

    public Uni<List<Project>> listLive(String accountId, int page, int limit) {
        return find("accountId = :account and deletedAt is null",
                Sort.by("createdAt", Sort.Direction.Descending).and("id"), Parameters.with("account", accountId))
                .page(Page.of(page - 1, limit))
                .list();
    }

    public Uni<Long> countLive(String accountId) {
        return count("accountId = :account and deletedAt is null", Parameters.with("account", accountId));
    }

    public Uni<List<Project>> listTrashed(String accountId) {
        return list("accountId = :account and deletedAt is not null", Sort.by("deletedAt", Sort.Direction.Descending),
                Parameters.with("account", accountId));
    }

    public Uni<Project> findTrashed(String accountId, String projectId) {
        return find("id = :id and accountId = :account and deletedAt is not null",
                Parameters.with("id", projectId).and("account", accountId))
                .firstResult();
    }

    public Uni<List<Project>> listExpired(Instant cutoff, int limit) {
        return find("deletedAt < :cutoff", Sort.by("deletedAt"), Parameters.with("cutoff", cutoff))
                .page(Page.ofSize(limit))
                .list();
    }
}
