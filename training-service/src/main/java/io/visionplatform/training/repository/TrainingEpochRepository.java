package io.visionplatform.training.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.training.TrainingEpoch;

@ApplicationScoped
public class TrainingEpochRepository implements PanacheRepositoryBase<TrainingEpoch, String> {

    public Uni<List<TrainingEpoch>> ofRun(String runId) {
        return list("runId", Sort.by("epoch"), runId);
    }

    /** Epoch rows are keyed by run and epoch, so a repeat of the same epoch finds the row to update. */
    public static String idOf(String runId, int epoch) {
        return runId + ":" + epoch;
    }
}
