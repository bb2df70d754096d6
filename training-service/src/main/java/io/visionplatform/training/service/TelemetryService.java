package io.visionplatform.training.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.training.TrainingEpoch;
import io.visionplatform.training.TrainingLog;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.client.ModelsClient;
import io.visionplatform.training.repository.TrainingEpochRepository;
import io.visionplatform.training.repository.TrainingLogRepository;
import io.visionplatform.training.repository.TrainingRunRepository;
import io.visionplatform.training.rest.TelemetryRequest;
import io.visionplatform.training.rest.TelemetryResponse;

/**
 * The SDK's training telemetry ({@code POST /api/webhooks/training/metrics}), which our own worker speaks too: a
 * managed run and a {@code yolo train} on a user's machine are tracked by the same code. Every answer says whether
 * the platform cancelled the run. Events are idempotent where the SDK repeats them (the last epoch_end twice,
 * retried posts).
 */
@ApplicationScoped
public class TelemetryService {

    private static final int MAX_LOG_CHUNK = 256 * 1024;

    private final TrainingRunRepository runs;
    private final TrainingEpochRepository epochs;
    private final TrainingLogRepository logs;
    private final ModelsClient models;
    private final RunEvents events;
    private final TrainingMapper mapper;
    private final RunKeys keys;
    private final ObjectMapper json;

    public TelemetryService(TrainingRunRepository runs, TrainingEpochRepository epochs, TrainingLogRepository logs,
            ModelsClient models, RunEvents events, TrainingMapper mapper, RunKeys keys, ObjectMapper json) {
        this.runs = runs;
        this.epochs = epochs;
        this.logs = logs;
        this.models = models;
        this.events = events;
        this.mapper = mapper;
        this.keys = keys;
        this.json = json;
    }

    public Uni<TelemetryResponse> handle(InternalIdentity caller, String token, TelemetryRequest request) {
        JsonNode data = request.data() == null || request.data().isNull() ? json.createObjectNode() : request.data();
        if (!data.isObject()) {
            throw PlatformException.invalidField("data", "must be a JSON object");
        }
        return switch (request.event()) {
            case "training_started" -> started(caller, token, request, data);
            case "epoch_end" -> onRun(caller, request, data, run -> epochEnd(run, data));
            case "console_output" -> onRun(caller, request, data, run -> consoleOutput(run, data));
            case "checkpoint_saved" -> onRun(caller, request, data, run -> checkpointSaved(run, data));
            case "training_complete" -> onRun(caller, request, data, run -> complete(run, token, data));
            case "training_failed" -> onRun(caller, request, data, run -> failed(run, data));
            // Newer SDKs' extras: accepted so the SDK keeps going; progress is already known from epoch_end.
            case "system_metrics", "training_progress" -> onRun(caller, request, data, run -> Uni.createFrom()
                    .item(run));
            default -> Uni.createFrom().failure(PlatformException.invalidField("event", "unknown event "
                    + request.event()));
        };
    }

    /**
     * Registers the trainer: the managed run waiting for it, or a new SDK run — of the model by id, or of a new model
     * named by {@code project}/{@code name} (project created when missing, slug renamed when taken).
     */
    private Uni<TelemetryResponse> started(InternalIdentity caller, String token, TelemetryRequest request,
            JsonNode data) {
        Uni<TrainingRun> run;
        if (request.modelId() != null) {
            run = Panache.withSession(() -> runs.activeOfModel(caller.accountId(), request.modelId()))
                    .chain(active -> active != null ? Uni.createFrom().item(active)
                            : models.model(token, request.modelId())
                                    .chain(model -> newSdkRun(caller, model.id(), model.slug(), data)));
        } else {
            if (request.project() == null || request.name() == null) {
                return Uni.createFrom().failure(PlatformException.invalidField("modelId",
                        "name the model by modelId, or by project (user/project) and name"));
            }
            String projectSlug = Slugs.of(request.project().contains("/")
                    ? request.project().substring(request.project().indexOf('/') + 1)
                    : request.project(), "project");
            String modelSlug = Slugs.of(request.name(), "model");
            run = Panache.withSession(() -> runs.pendingManaged(caller.accountId(), projectSlug, modelSlug))
                    .chain(pending -> pending != null ? Uni.createFrom().item(pending)
                            : models.registerSdkModel(token, request.project(), request.name())
                                    .chain(model -> newSdkRun(caller, model.modelId(), model.modelSlug(), data)));
        }
        Instant now = Instant.now();
        return run.chain(found -> Panache.withTransaction(() -> runs.findById(found.id)
                .call(current -> {
                    boolean first = current.registeredAt == null;
                    current.registeredAt = now;
                    current.trainArgs = text(data.get("trainArgs"));
                    current.environment = text(data.get("environment"));
                    current.device = data.path("device").asText(current.device);
                    if (data.path("epochs").canConvertToInt() && data.path("epochs").asInt() > 0) {
                        current.epochs = data.path("epochs").asInt();
                    }
                    current.updatedAt = now;
                    if (!current.active()) {
                        return Uni.createFrom().voidItem();
                    }
                    current.status = "running";
                    if (current.startedAt == null) {
                        current.startedAt = now;
                    }
                    return first ? events.started(current) : Uni.createFrom().voidItem();
                })))
                .map(current -> new TelemetryResponse(current.modelId, current.id, current.modelSlug,
                        current.cancelRequested));
    }

    private Uni<TrainingRun> newSdkRun(InternalIdentity caller, String modelId, String modelSlug, JsonNode data) {
        Instant now = Instant.now();
        TrainingRun run = new TrainingRun();
        run.id = Ids.newId("run");
        run.accountId = caller.accountId();
        run.username = caller.username();
        run.modelId = modelId;
        run.modelSlug = modelSlug;
        run.source = "sdk";
        run.executor = "external";
        JsonNode environment = data.path("environment");
        run.gpuType = environment.hasNonNull("gpuType") ? environment.get("gpuType").asText() : null;
        run.epochs = Math.max(1, data.path("epochs").asInt(1));
        JsonNode imgsz = data.path("trainArgs").path("imgsz");
        run.imageSize = imgsz.canConvertToInt() || imgsz.isTextual() ? parseInt(imgsz.asText()) : null;
        run.status = "starting";
        run.metrics = "{}";
        run.queuedAt = now;
        run.updatedAt = now;
        return Panache.withTransaction(() -> runs.persist(run))
                .onFailure(TrainingService::isUniqueViolation)
                .recoverWithUni(failure -> Panache.withSession(() -> runs.activeOfModel(caller.accountId(), modelId))
                        .onItem()
                        .ifNull()
                        .failWith(() -> failure));
    }

    /** The run an event after training_started belongs to; answers {@code cancelled} as it stands after the event. */
    private Uni<TelemetryResponse> onRun(InternalIdentity caller, TelemetryRequest request, JsonNode data,
            java.util.function.Function<TrainingRun, Uni<TrainingRun>> action) {
        String runId = data.hasNonNull("runId") ? data.get("runId").asText() : null;
        Uni<TrainingRun> run;
        if (runId != null) {
            run = Panache.withSession(() -> runs.findOwned(caller.accountId(), runId));
        } else if (request.modelId() != null) {
            run = Panache.withSession(() -> runs.reportingRun(caller.accountId(), request.modelId()));
        } else {
            return Uni.createFrom().failure(PlatformException.invalidField("modelId",
                    "events after training_started must carry the modelId it answered"));
        }
        return run.onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("training run",
                        runId != null ? runId : "of model " + request.modelId()))
                .chain(found -> action.apply(found))
                .map(current -> TelemetryResponse.of(current.cancelRequested));
    }

    private Uni<TrainingRun> epochEnd(TrainingRun run, JsonNode data) {
        if (!data.path("epoch").canConvertToInt() || data.path("epoch").asInt() < 0) {
            return Uni.createFrom().failure(PlatformException.invalidField("data.epoch",
                    "must be the 0-based epoch number"));
        }
        int epoch = data.path("epoch").asInt();
        String metrics = text(data.path("metrics").isObject() ? data.get("metrics") : json.createObjectNode());
        Double fitness = number(data.get("fitness"));
        Double bestFitness = number(data.get("best_fitness"));
        Instant now = Instant.now();
        return Panache.withTransaction(() -> runs.findById(run.id)
                .chain(current -> epochs.findById(TrainingEpochRepository.idOf(run.id, epoch))
                        .chain(existing -> {
                            boolean added = existing == null;
                            TrainingEpoch row = added ? new TrainingEpoch() : existing;
                            row.id = TrainingEpochRepository.idOf(run.id, epoch);
                            row.runId = run.id;
                            row.epoch = epoch;
                            row.metrics = metrics;
                            row.fitness = fitness;
                            row.bestFitness = bestFitness;
                            row.system = data.has("system") ? text(data.get("system")) : row.system;
                            row.modelInfo = data.has("modelInfo") ? text(data.get("modelInfo")) : row.modelInfo;
                            row.recordedAt = now;
                            current.epochsDone = Math.max(current.epochsDone, epoch + 1);
                            current.metrics = metrics;
                            if (bestFitness != null && (current.bestFitness == null
                                    || bestFitness >= current.bestFitness)) {
                                current.bestFitness = bestFitness;
                                if (fitness != null && fitness.equals(bestFitness)) {
                                    current.bestEpoch = epoch;
                                }
                            }
                            if (current.active() && !"running".equals(current.status)) {
                                current.status = "running";
                            }
                            current.updatedAt = now;
                            Uni<?> saved = added ? epochs.persist(row) : Uni.createFrom().item(row);
                            // The repeat of an epoch updates its row but is not a new fact.
                            return saved.chain(() -> added ? events.epoch(current, epoch, metrics)
                                    : Uni.createFrom().voidItem())
                                    .replaceWith(current);
                        })));
    }

    private Uni<TrainingRun> consoleOutput(TrainingRun run, JsonNode data) {
        int chunkId = data.path("chunkId").asInt(-1);
        String content = data.path("content").asText("");
        if (chunkId < 0) {
            return Uni.createFrom().failure(PlatformException.invalidField("data.chunkId", "must be a number"));
        }
        if (content.length() > MAX_LOG_CHUNK) {
            content = content.substring(0, MAX_LOG_CHUNK);
        }
        String kept = content;
        return Panache.withTransaction(() -> logs.findById(TrainingLogRepository.idOf(run.id, chunkId))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(run);
                    }
                    TrainingLog chunk = new TrainingLog();
                    chunk.id = TrainingLogRepository.idOf(run.id, chunkId);
                    chunk.runId = run.id;
                    chunk.chunkId = chunkId;
                    chunk.content = kept;
                    chunk.lineCount = data.path("lineCount").asInt((int) kept.lines().count());
                    chunk.receivedAt = Instant.now();
                    return logs.persist(chunk)
                            .replaceWith(run);
                }));
    }

    private Uni<TrainingRun> checkpointSaved(TrainingRun run, JsonNode data) {
        return Panache.withTransaction(() -> runs.findById(run.id)
                .invoke(current -> {
                    current.modelPath = data.path("modelPath").asText(current.modelPath);
                    current.updatedAt = Instant.now();
                }));
    }

    /**
     * Final (or, after a cancel, partial) results: the model service records the metrics and class names on the
     * model — its weights are attached by the upload, whichever arrives first — then the run ends.
     */
    private Uni<TrainingRun> complete(TrainingRun run, String token, JsonNode data) {
        if (run.classNames != null && !run.active()) {
            return Uni.createFrom().item(run);
        }
        JsonNode results = data.path("results");
        Map<String, Object> metrics = results.path("metrics").isObject()
                ? mapper.readObject(text(results.get("metrics")))
                : mapper.readObject(run.metrics);
        List<String> classNames = new ArrayList<>();
        data.path("classNames").forEach(name -> classNames.add(name.asText()));
        Instant now = Instant.now();
        return models.recordTraining(token, run.modelId, run.id, metrics, classNames, run.imageSize)
                .chain(() -> Panache.withTransaction(() -> runs.findById(run.id)
                        .call(current -> {
                            boolean wasActive = current.active();
                            current.metrics = mapper.write(metrics);
                            current.classNames = mapper.write(classNames);
                            if (results.path("bestEpoch").canConvertToInt()) {
                                current.bestEpoch = results.path("bestEpoch").asInt();
                            }
                            Double best = number(results.get("bestFitness"));
                            if (best != null) {
                                current.bestFitness = best;
                            }
                            current.modelPath = results.path("modelPath").asText(current.modelPath);
                            current.updatedAt = now;
                            if (!wasActive) {
                                return Uni.createFrom().voidItem();
                            }
                            current.status = current.cancelRequested ? "cancelled" : "completed";
                            current.endedAt = now;
                            return events.ended(current);
                        })))
                // A local worker still uploads after this; its key goes when the process exits.
                .call(current -> current.workerPid == null ? keys.release(current)
                        : Uni.createFrom().voidItem());
    }

    private Uni<TrainingRun> failed(TrainingRun run, JsonNode data) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> runs.findById(run.id)
                .call(current -> {
                    if (!current.active()) {
                        return Uni.createFrom().voidItem();
                    }
                    current.status = "failed";
                    current.error = data.path("error").asText("training failed");
                    current.errorCode = data.hasNonNull("code") ? data.get("code").asText() : null;
                    current.endedAt = now;
                    current.updatedAt = now;
                    return events.ended(current);
                }));
    }

    private String text(JsonNode node) {
        if (node == null || node instanceof NullNode || node.isMissingNode()) {
            return null;
        }
        return mapper.write(node);
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

}
