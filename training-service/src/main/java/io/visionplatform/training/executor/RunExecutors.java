package io.visionplatform.training.executor;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.config.TrainingConfig;
import io.visionplatform.training.repository.TrainingRunRepository;
import io.visionplatform.training.service.RunEvents;
import io.visionplatform.training.service.RunKeys;

/**
 * Moves queued runs to their executor and keeps launched runs honest. Every pass (and so right after a restart):
 * local workers that exited without reporting end their run (cancelled or failed); launched local runs this service
 * is not watching — their worker started before a restart — are re-attached when the pid is alive, failed when not;
 * then queued runs are launched while the local executor has free slots (all of them for kubernetes). A run is never
 * left {@code running} without a live trainer.
 */
@ApplicationScoped
public class RunExecutors {

    private static final Logger LOG = Logger.getLogger(RunExecutors.class);
    private static final int BATCH = 20;

    private final TrainingRunRepository runs;
    private final LocalExecutor local;
    private final KubernetesExecutor kubernetes;
    private final RunEvents events;
    private final RunKeys keys;
    private final TrainingConfig config;
    private final Vertx vertx;

    public RunExecutors(TrainingRunRepository runs, LocalExecutor local, KubernetesExecutor kubernetes,
            RunEvents events, RunKeys keys, TrainingConfig config, Vertx vertx) {
        this.runs = runs;
        this.local = local;
        this.kubernetes = kubernetes;
        this.events = events;
        this.keys = keys;
        this.config = config;
        this.vertx = vertx;
    }

    @Scheduled(every = "2s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pass() {
        return reapLocal()
                .chain(this::reconcileLocal)
                .chain(this::launchQueued)
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(failure, "Training executor pass failed; retrying on the next one");
                    return null;
                });
    }

    /** Kubernetes runs whose Job is gone or failed without its trainer reporting: failed, not left running. */
    @Scheduled(every = "30s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcileKubernetes() {
        if (!"kubernetes".equals(config.executor())) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> runs.launched("kubernetes"))
                .onItem()
                .transformToMulti(launched -> Multi.createFrom().iterable(launched))
                .onItem()
                .transformToUniAndConcatenate(run -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> kubernetes.jobDead(run)))
                        .chain(dead -> dead ? endIfActive(run.id, "failed", "The training Job "
                                + KubernetesJobs.name(run) + " failed or disappeared before reporting the end of training")
                                : Uni.createFrom().voidItem()))
                .collect()
                .last()
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("Could not check the training Jobs: %s", failure.getMessage());
                    return null;
                });
    }

    /** Tells the run's trainer to stop (a local worker gets SIGTERM; others read it from the telemetry answer). */
    public Uni<Void> cancel(TrainingRun run) {
        if (!"local".equals(run.executor)) {
            return Uni.createFrom().voidItem();
        }
        return vertx.executeBlocking(Uni.createFrom()
                .item(() -> {
                    local.cancel(run);
                    return null;
                }))
                .replaceWithVoid();
    }

    private Uni<Void> reapLocal() {
        List<LocalExecutor.Worker> exited = local.reapExited();
        return Multi.createFrom()
                .iterable(exited)
                .onItem()
                .invoke(worker -> LOG.infof("Run %s: worker pid %d exited (status %s)", worker.runId(),
                        worker.handle().pid(), worker.exitCode() == null ? "unknown" : worker.exitCode()))
                .onItem()
                .transformToUniAndConcatenate(worker -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> local.exitOf(worker)))
                        .chain(exit -> endIfActive(worker.runId(), exit.status(), exit.error())))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> reconcileLocal() {
        return Panache.withSession(() -> runs.launched("local"))
                .onItem()
                .transformToMulti(launched -> Multi.createFrom().iterable(launched))
                // Only runs this executor launched: a queued run a trainer registered by itself has no worker here.
                .filter(run -> run.workerPid != null && !local.watching(run.id))
                .onItem()
                .transformToUniAndConcatenate(run -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> local.reattach(run) ? null : local.deadWorkerError(run)))
                        .chain(error -> {
                            if (error == null) {
                                LOG.infof("Run %s: re-attached its live worker (pid %d)", run.id, run.workerPid);
                                return Uni.createFrom().voidItem();
                            }
                            return endIfActive(run.id, "failed", error);
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> launchQueued() {
        String executor = config.executor();
        Uni<Integer> free = "local".equals(executor)
                ? Panache.withSession(() -> runs.countLaunched("local"))
                        .map(launched -> Math.max(0, config.local().maxConcurrent() - launched.intValue()))
                : Uni.createFrom().item(BATCH);
        return free.chain(slots -> slots == 0 ? Uni.createFrom().item(List.<TrainingRun> of())
                : Panache.withSession(() -> runs.queued(executor, Math.min(slots, BATCH))))
                .onItem()
                .transformToMulti(queued -> Multi.createFrom().iterable(queued))
                .onItem()
                .transformToUniAndConcatenate(this::launch)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> launch(TrainingRun run) {
        if ("local".equals(run.executor) && !local.trainerAvailable()) {
            return endIfActive(run.id, "failed", "The trainer is not installed in this build: "
                    + config.local().mainClass() + " is not on the training service's classpath");
        }
        return vertx.executeBlocking(Uni.createFrom()
                .item(() -> {
                    if ("local".equals(run.executor)) {
                        return local.launch(run);
                    }
                    kubernetes.launch(run);
                    return null;
                }))
                .chain(worker -> Panache.withTransaction(() -> runs.findById(run.id)
                        .invoke(current -> {
                            Instant now = Instant.now();
                            if (current.active() && "queued".equals(current.status)) {
                                current.status = "starting";
                            }
                            if (worker != null) {
                                current.workerPid = worker.handle().pid();
                                current.workerDir = worker.dir().toString();
                            }
                            current.startedAt = current.startedAt == null ? now : current.startedAt;
                            current.updatedAt = now;
                        })))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> endIfActive(run.id, "failed", "Could not launch the trainer: "
                        + failure.getMessage()));
    }

    /** Ends a run its trainer did not end (status failed or cancelled), then revokes its key. */
    private Uni<Void> endIfActive(String runId, String status, String error) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> runs.findById(runId)
                .call(run -> {
                    if (run == null || !run.active()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("Run %s %s: %s", runId, status, error);
                    run.status = status;
                    run.error = "failed".equals(status) ? error : null;
                    run.errorCode = "failed".equals(status) ? "WORKER_EXITED" : null;
                    run.endedAt = now;
                    run.updatedAt = now;
                    return events.ended(run);
                }))
                .chain(run -> run == null ? Uni.createFrom().voidItem() : keys.release(run));
    }
}
