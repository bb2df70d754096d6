package io.visionplatform.training.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.training.TrainingEpoch;
import io.visionplatform.training.TrainingLog;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.rest.LogChunkView;
import io.visionplatform.training.rest.TrainingRunView;

/** Entities → the API's JSON, and the JSON kept in text columns; entities never leave the service. */
@ApplicationScoped
public class TrainingMapper {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public TrainingMapper(ObjectMapper json) {
        this.json = json;
    }

    public TrainingRunView toView(TrainingRun run, List<TrainingEpoch> epochs) {
        return toView(run, epochs, Instant.now());
    }

    TrainingRunView toView(TrainingRun run, List<TrainingEpoch> epochs, Instant now) {
        int done = Math.min(run.epochsDone, run.epochs);
        double percentage = run.epochs == 0 ? 0 : Math.round(1000.0 * done / run.epochs) / 10.0;
        Long elapsed = null;
        Double perEpoch = null;
        Long eta = null;
        if (run.startedAt != null) {
            Instant end = run.endedAt != null ? run.endedAt : now;
            elapsed = Math.max(0, Duration.between(run.startedAt, end).toSeconds());
            if (done > 0) {
                perEpoch = Math.round(10.0 * elapsed / done) / 10.0;
                eta = run.active() ? Math.round(perEpoch * (run.epochs - done)) : 0L;
            }
        }
        return new TrainingRunView(run.id, run.modelId, run.datasetId, run.status, run.source, run.executor,
                run.gpuType, run.imageSize, run.device, run.cancelRequested,
                new TrainingRunView.Progress(done, run.epochs, percentage),
                new TrainingRunView.Timing(run.queuedAt, run.startedAt, run.endedAt, elapsed, perEpoch, eta),
                readObject(run.metrics), run.bestEpoch, run.bestFitness,
                run.classNames == null ? List.of() : read(run.classNames, NAMES),
                epochs.stream()
                        .map(this::toView)
                        .toList(),
                run.error == null ? null : new TrainingRunView.ErrorView(run.error, run.errorCode));
    }

    public TrainingRunView.EpochView toView(TrainingEpoch epoch) {
        return new TrainingRunView.EpochView(epoch.epoch, readObject(epoch.metrics), epoch.fitness, epoch.bestFitness,
                epoch.recordedAt);
    }

    public LogChunkView toView(TrainingLog chunk) {
        return new LogChunkView(chunk.chunkId, chunk.content, chunk.lineCount, chunk.receivedAt);
    }

    public Map<String, Object> readObject(String text) {
        return text == null ? Map.of() : read(text, OBJECT);
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored training JSON is corrupt", e);
        }
    }
}
