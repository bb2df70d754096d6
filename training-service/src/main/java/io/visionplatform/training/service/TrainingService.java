package io.visionplatform.training.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.api.PageMeta;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.id.Ids;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.client.DatasetsClient;
import io.visionplatform.training.client.ModelsClient;
import io.visionplatform.training.client.RunKeysClient;
import io.visionplatform.training.config.TrainingConfig;
import io.visionplatform.training.executor.RunExecutors;
import io.visionplatform.training.repository.TrainingEpochRepository;
import io.visionplatform.training.repository.TrainingLogRepository;
import io.visionplatform.training.repository.TrainingRunRepository;
import io.visionplatform.training.rest.LogChunkView;
import io.visionplatform.training.rest.StartTrainingRequest;
import io.visionplatform.training.rest.TrainingRunView;

/**
 * Managed runs: start (the model and dataset checked with their services, a run-scoped key issued, the run queued
 * for the executor), status, and cancel. The slow calls to other services happen before the run's transaction.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);

    private final TrainingRunRepository runs;
    private final TrainingEpochRepository epochs;
    private final TrainingLogRepository logs;
    private final ModelsClient models;
    private final DatasetsClient datasets;
    private final RunKeysClient runKeys;
    private final GpuCatalogue gpus;
    private final RunEvents events;
    private final TrainingMapper mapper;
    private final RunExecutors executors;
    private final RunKeys keys;
    private final TrainingConfig config;

    public TrainingService(TrainingRunRepository runs, TrainingEpochRepository epochs, TrainingLogRepository logs,
            ModelsClient models, DatasetsClient datasets, RunKeysClient runKeys, GpuCatalogue gpus, RunEvents events,
            TrainingMapper mapper, RunExecutors executors, RunKeys keys, TrainingConfig config) {
        this.runs = runs;
        this.epochs = epochs;
        this.logs = logs;
        this.models = models;
        this.datasets = datasets;
        this.runKeys = runKeys;
        this.gpus = gpus;
        this.events = events;
        this.mapper = mapper;
        this.executors = executors;
        this.keys = keys;
        this.config = config;
    }

    /** A new queued run, or — for a repeated {@code Idempotency-Key} — the run the first request made. */
    public Uni<TrainingRunView> start(InternalIdentity caller, String identityToken, StartTrainingRequest request,
            String idempotencyKey) {
        validate(request);
        return Panache.withSession(() -> idempotencyKey == null ? Uni.createFrom().<TrainingRun> nullItem()
                : runs.byIdempotencyKey(caller.accountId(), idempotencyKey))
                .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                        : prepareAndQueue(caller, identityToken, request, idempotencyKey))
                .map(run -> mapper.toView(run, List.of()));
    }

    public Uni<TrainingRunView> status(String accountId, String modelId) {
        return Panache.withSession(() -> runs.requireLatestOfModel(accountId, modelId)
                .chain(run -> epochs.ofRun(run.id)
                        .map(found -> mapper.toView(run, found))));
    }

    public Uni<ApiResponse<List<LogChunkView>>> logs(String accountId, String modelId, int page, int limit) {
        return Panache.withSession(() -> runs.requireLatestOfModel(accountId, modelId)
                .chain(run -> logs.ofRun(run.id, page, limit)
                        .chain(chunks -> logs.countOfRun(run.id)
                                .map(total -> ApiResponse.page(chunks.stream()
                                        .map(mapper::toView)
                                        .toList(), new PageMeta(page, limit, total))))));
    }

    /**
     * Cancels the model's active run: a queued one at once; a running one is marked cancelled, its trainer is told
     * (the next telemetry answer carries {@code cancelled: true}; a local worker also gets SIGTERM) and stops within
     * one batch, uploading the best checkpoint so far.
     */
    public Uni<TrainingRunView> cancel(String accountId, String modelId) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> runs.activeOfModel(accountId, modelId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("active training of model", modelId))
                .invoke(run -> {
                    run.cancelRequested = true;
                    run.status = "cancelled";
                    run.endedAt = now;
                    run.updatedAt = now;
                })
                .call(events::ended))
                .call(run -> executors.cancel(run)
                        .onFailure()
                        .recoverWithItem(failure -> {
                            LOG.warnf("Could not signal the trainer of run %s: %s", run.id, failure.getMessage());
                            return null;
                        }))
                .call(run -> run.workerPid == null && run.registeredAt == null ? keys.release(run)
                        : Uni.createFrom().voidItem())
                .chain(run -> status(accountId, modelId));
    }

    private Uni<TrainingRun> prepareAndQueue(InternalIdentity caller, String token, StartTrainingRequest request,
            String idempotencyKey) {
        String runId = Ids.newId("run");
        TrainingRun run = newRun(caller, runId, request, idempotencyKey);
        return Panache.withSession(() -> runs.activeOfModel(caller.accountId(), request.modelId()))
                .invoke(active -> {
                    if (active != null) {
                        throw conflict(active);
                    }
                })
                .chain(() -> Uni.combine()
                        .all()
                        .unis(models.model(token, request.modelId()), datasets.dataset(token, request.datasetId()))
                        .asTuple())
                .chain(found -> {
                    ModelsClient.ModelInfo model = found.getItem1();
                    DatasetsClient.DatasetInfo dataset = found.getItem2();
                    run.modelSlug = model.slug();
                    run.datasetUri = "ul://" + caller.username() + "/datasets/" + dataset.slug();
                    if (dataset.imageCount() == 0) {
                        throw PlatformException.invalidField("datasetId", "the dataset has no images yet");
                    }
                    return modelSource(token, model)
                            .invoke(source -> run.modelSource = source)
                            .chain(() -> models.projectSlug(token, model.projectId()))
                            .invoke(slug -> run.projectSlug = slug);
                })
                .chain(() -> datasets.exportUrl(token, request.datasetId()))
                .invoke(url -> run.dataUrl = url)
                .chain(() -> runKeys.issue(token, runId))
                .invoke(key -> {
                    run.runKeyId = key.id();
                    run.runKeySecret = key.key();
                })
                .chain(() -> Panache.withTransaction(() -> runs.persist(run)))
                .onFailure(TrainingService::isUniqueViolation)
                .recoverWithUni(failure -> keys.release(run)
                        .chain(() -> Panache.withSession(() -> idempotencyKey == null
                                ? Uni.createFrom().<TrainingRun> nullItem()
                                : runs.byIdempotencyKey(caller.accountId(), idempotencyKey)))
                        .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                                : Panache.withSession(() -> runs.activeOfModel(caller.accountId(), request.modelId()))
                                        .map(active -> {
                                            throw active != null ? conflict(active) : new IllegalStateException(failure);
                                        })));
    }

    /** The model's own .pt weights when it has them, else the architecture it names. */
    private Uni<String> modelSource(String token, ModelsClient.ModelInfo model) {
        Uni<String> weights = "ready".equals(model.status()) && "pt".equals(model.format())
                ? models.ptWeightsUrl(token, model.id())
                : Uni.createFrom().nullItem();
        return weights.map(url -> {
            if (url != null) {
                return url;
            }
            if (model.architecture() != null) {
                return model.architecture();
            }
            throw PlatformException.invalidField("modelId", "the model has neither .pt weights nor an architecture "
                    + "to train (" + (model.format() == null ? "no weights" : model.format() + " weights") + ")");
        });
    }

    private void validate(StartTrainingRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        if (request.imageSize() % 32 != 0) {
            fields.put("imageSize", "must be a multiple of 32 between 32 and 1280");
        }
        if (gpus.find(request.gpuType()).isEmpty()) {
            fields.put("gpuType", "must be one of " + String.join(", ", gpus.names()));
            details.put("validGpuTypes", gpus.names());
        }
        if (!fields.isEmpty()) {
            details.put("fields", fields);
            throw PlatformException.validation("Invalid training request: " + String.join(", ", fields.keySet()),
                    details);
        }
    }

    static PlatformException conflict(TrainingRun active) {
        return new PlatformException(ErrorCode.VALIDATION_ERROR, 409,
                "The model already has an active training run (" + active.status + ")",
                Map.of("modelId", active.modelId, "runId", active.id, "status", active.status));
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            String message = cause.getMessage();
            if (message != null && message.contains("duplicate key")) {
                return true;
            }
        }
        return false;
    }

    private TrainingRun newRun(InternalIdentity caller, String runId, StartTrainingRequest request,
            String idempotencyKey) {
        Instant now = Instant.now();
        TrainingRun run = new TrainingRun();
        run.id = runId;
        run.accountId = caller.accountId();
        run.username = caller.username();
        run.modelId = request.modelId();
        run.datasetId = request.datasetId();
        run.source = "managed";
        run.executor = config.executor();
        run.gpuType = request.gpuType();
        run.epochs = request.epochs();
        run.imageSize = request.imageSize();
        run.status = "queued";
        run.metrics = "{}";
        run.idempotencyKey = idempotencyKey;
        run.queuedAt = now;
        run.updatedAt = now;
        return run;
    }
}
