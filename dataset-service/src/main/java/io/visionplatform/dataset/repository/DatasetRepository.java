package io.visionplatform.dataset.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.dataset.Dataset;

@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<Dataset, String> {

    /** A live (not trashed) dataset of this account; null for anyone else's, so they see NOT_FOUND. */
    public Uni<Dataset> findLive(String accountId, String datasetId) {
        return find("id = :id and accountId = :account and deletedAt is null",
                Parameters.with("id", datasetId).and("account", accountId))
                .firstResult();
    }

    /** As {@link #findLive}, failing with NOT_FOUND (the same answer for another account's dataset). */
    public Uni<Dataset> requireLive(String accountId, String datasetId) {
        return findLive(accountId, datasetId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("dataset", datasetId));
    }

    /** A live dataset by the SDK's address, {@code ul://{username}/datasets/{slug}}, if this account owns it. */
    public Uni<Dataset> findLiveBySlug(String accountId, String username, String slug) {
        return find("accountId = :account and ownerUsername = :user and slug = :slug and deletedAt is null",
                Parameters.with("account", accountId).and("user", username).and("slug", slug))
                .firstResult();
    }

    public Uni<Boolean> slugTaken(String accountId, String slug) {
        return count("accountId = :account and slug = :slug and deletedAt is null",
                Parameters.with("account", accountId).and("slug", slug))
                .map(count -> count > 0);
    }

    public Uni<List<Dataset>> listLive(String accountId, String task, int page, int limit) {
        return live(accountId, task)
                .page(Page.of(page - 1, limit))
                .list();
    }

    public Uni<Long> countLive(String accountId, String task) {
        return live(accountId, task).count();
    }

    public Uni<List<Dataset>> listTrashed(String accountId) {
        return list("accountId = :account and deletedAt is not null", Sort.by("deletedAt", Sort.Direction.Descending),
                Parameters.with("account", accountId));
    }

    public Uni<Dataset> findTrashed(String accountId, String datasetId) {
        return find("id = :id and accountId = :account and deletedAt is not null",
                Parameters.with("id", datasetId).and("account", accountId))
                .firstResult();
    }

    /** Trashed datasets whose retention ended before {@code cutoff}, oldest first, at most {@code limit}. */
    public Uni<List<Dataset>> listExpired(java.time.Instant cutoff, int limit) {
        return find("deletedAt < :cutoff", Sort.by("deletedAt"), Parameters.with("cutoff", cutoff))
                .page(Page.ofSize(limit))
                .list();
    }

    private PanacheQuery<Dataset> live(String accountId, String task) {
        Sort newestFirst = Sort.by("createdAt", Sort.Direction.Descending).and("id");
        if (task == null) {
            return find("accountId = :account and deletedAt is null", newestFirst, Parameters.with("account", accountId));
        }
        return find("accountId = :account and task = :task and deletedAt is null", newestFirst,
                Parameters.with("account", accountId).and("task", task));
    }
}
