package io.visionplatform.training.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.training.TrainingRun;

@ApplicationScoped
public class TrainingRunRepository implements PanacheRepositoryBase<TrainingRun, String> {

    /** The model's newest run of this account, or null (another account's model has none to show). */
    public Uni<TrainingRun> latestOfModel(String accountId, String modelId) {
        return find("accountId = :account and modelId = :model",
                Sort.by("queuedAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending),
                Parameters.with("account", accountId).and("model", modelId))
                .firstResult();
    }

    /** As {@link #latestOfModel}, failing with NOT_FOUND. */
    public Uni<TrainingRun> requireLatestOfModel(String accountId, String modelId) {
        return latestOfModel(accountId, modelId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("training of model", modelId));
    }

    public Uni<TrainingRun> activeOfModel(String accountId, String modelId) {
        return find("accountId = :account and modelId = :model and status in ('queued', 'starting', 'running')",
                Parameters.with("account", accountId).and("model", modelId))
                .firstResult();
    }

    /** The run a trainer's event belongs to: the one of this model a trainer registered last. */
    public Uni<TrainingRun> reportingRun(String accountId, String modelId) {
        return find("accountId = :account and modelId = :model and registeredAt is not null",
                Sort.by("registeredAt", Sort.Direction.Descending),
                Parameters.with("account", accountId).and("model", modelId))
                .firstResult();
    }

    public Uni<TrainingRun> findOwned(String accountId, String runId) {
        return find("id = :id and accountId = :account", Parameters.with("id", runId).and("account", accountId))
                .firstResult();
    }

    public Uni<TrainingRun> byIdempotencyKey(String accountId, String key) {
        return find("accountId = :account and idempotencyKey = :key",
                Parameters.with("account", accountId).and("key", key))
                .firstResult();
    }

    /** A managed run waiting for a trainer that names this project and model (the official image's yolo train). */
    public Uni<TrainingRun> pendingManaged(String accountId, String projectSlug, String modelSlug) {
        return find("""
                accountId = :account and source = 'managed' and projectSlug = :project and modelSlug = :model
                and status in ('queued', 'starting', 'running')""",
                Parameters.with("account", accountId).and("project", projectSlug).and("model", modelSlug))
                .firstResult();
    }

    public Uni<List<TrainingRun>> queued(String executor, int limit) {
        return find("executor = :executor and status = 'queued'", Sort.by("queuedAt"),
                Parameters.with("executor", executor))
                .page(Page.ofSize(limit))
                .list();
    }

    /** Runs of this executor that hold, or held, a worker. */
    public Uni<List<TrainingRun>> launched(String executor) {
        return list("executor = :executor and status in ('starting', 'running')", Parameters.with("executor", executor));
    }

    public Uni<Long> countLaunched(String executor) {
        return count("executor = :executor and status in ('starting', 'running')",
                Parameters.with("executor", executor));
    }
}
