package io.visionplatform.training.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.client.RunKeysClient;
import io.visionplatform.training.repository.TrainingRunRepository;

/** The end of a run's key: revoked at the gateway, forgotten here. */
@ApplicationScoped
public class RunKeys {

    private static final Logger LOG = Logger.getLogger(RunKeys.class);

    private final RunKeysClient client;
    private final TrainingRunRepository runs;

    public RunKeys(RunKeysClient client, TrainingRunRepository runs) {
        this.client = client;
        this.runs = runs;
    }

    /** Revokes the run's key once nothing will use it again; a failure is logged, the key expires anyway. */
    public Uni<Void> release(TrainingRun run) {
        if (run.runKeySecret == null) {
            return Uni.createFrom().voidItem();
        }
        return client.revoke(run.id, run.runKeySecret)
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("Could not revoke the key of run %s (it expires on its own): %s", run.id,
                            failure.getMessage());
                    return null;
                })
                .chain(() -> Panache.withTransaction(() -> runs.findById(run.id)
                        .invoke(current -> current.runKeySecret = null)))
                .replaceWithVoid();
    }
}
