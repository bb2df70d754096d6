package io.visionplatform.training.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.training.TrainingLog;

@ApplicationScoped
public class TrainingLogRepository implements PanacheRepositoryBase<TrainingLog, String> {

    public Uni<List<TrainingLog>> ofRun(String runId, int page, int limit) {
        return find("runId", Sort.by("chunkId"), runId)
                .page(Page.of(page - 1, limit))
                .list();
    }

    public Uni<Long> countOfRun(String runId) {
        return count("runId", runId);
    }

    public static String idOf(String runId, int chunkId) {
        return runId + ":" + chunkId;
    }
}
