package io.visionplatform.training.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.training.TrainingRun;

/**
 * The run's facts on {@code platform.training}, written to the outbox in the caller's transaction: training.started,
 * training.epoch, training.completed, training.failed, training.cancelled. Each carries what billing needs (GPU type,
 * its hourly price, seconds run) and what activity and user webhooks show (model, run, metrics).
 */
@ApplicationScoped
public class RunEvents {

    private final Outbox outbox;
    private final GpuCatalogue gpus;
    private final TrainingMapper mapper;

    public RunEvents(Outbox outbox, GpuCatalogue gpus, TrainingMapper mapper) {
        this.outbox = outbox;
        this.gpus = gpus;
        this.mapper = mapper;
    }

    public Uni<Void> started(TrainingRun run) {
        return append("training.started", run, Map.of("epochs", run.epochs));
    }

    public Uni<Void> epoch(TrainingRun run, int epoch, String metrics) {
        return append("training.epoch", run, Map.of("epoch", epoch, "metrics", mapper.readObject(metrics)));
    }

    /** training.completed, training.failed or training.cancelled, by the run's status. */
    public Uni<Void> ended(TrainingRun run) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metrics", mapper.readObject(run.metrics));
        data.put("epochsDone", run.epochsDone);
        if (run.error != null) {
            data.put("error", run.error);
        }
        return append("training." + run.status, run, data);
    }

    private Uni<Void> append(String type, TrainingRun run, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runId", run.id);
        data.put("modelId", run.modelId);
        data.put("datasetId", run.datasetId);
        data.put("source", run.source);
        data.put("executor", run.executor);
        data.put("gpuType", run.gpuType);
        data.put("hourlyPriceMicroUsd", gpus.hourlyPriceMicroUsd(run.gpuType));
        data.put("durationSeconds", durationSeconds(run));
        data.putAll(extra);
        return outbox.append(Topics.TRAINING, type, run.accountId, run.id, data)
                .replaceWithVoid();
    }

    private static long durationSeconds(TrainingRun run) {
        if (run.startedAt == null) {
            return 0;
        }
        Instant end = run.endedAt != null ? run.endedAt : Instant.now();
        return Math.max(0, Duration.between(run.startedAt, end).toSeconds());
    }
}
