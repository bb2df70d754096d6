package io.visionplatform.training.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A training run as {@code GET /api/models/{modelId}/training} shows it. */
public record TrainingRunView(
        String runId,
        String modelId,
        String datasetId,
        /** queued | starting | running | completed | failed | cancelled */
        String status,
        /** managed | sdk */
        String source,
        String executor,
        String gpuType,
        Integer imageSize,
        String device,
        boolean cancelRequested,
        Progress progress,
        Timing timing,
        Map<String, Object> metrics,
        Integer bestEpoch,
        Double bestFitness,
        List<String> classNames,
        List<EpochView> epochs,
        ErrorView error) {

    public record Progress(int currentEpoch, int totalEpochs, double percentage) {
    }

    public record Timing(Instant queuedAt, Instant startedAt, Instant endedAt, Long elapsedSeconds,
            Double secondsPerEpoch, Long etaSeconds) {
    }

    public record EpochView(int epoch, Map<String, Object> metrics, Double fitness, Double bestFitness,
            Instant recordedAt) {
    }

    public record ErrorView(String message, String code) {
    }
}
