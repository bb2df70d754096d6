package io.visionplatform.training;

import java.time.Instant;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One training run of a model, managed (an executor runs it) or registered by the SDK. */
@Entity
@Table(name = "training_run")
public class TrainingRun {

    /** The statuses of a run that is not over; at most one such run per model. */
    public static final Set<String> ACTIVE = Set.of("queued", "starting", "running");

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String username;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "model_slug")
    public String modelSlug;

    @Column(name = "project_slug")
    public String projectSlug;

    @Column(name = "dataset_id")
    public String datasetId;

    /** managed | sdk */
    @Column(nullable = false)
    public String source;

    /** local | kubernetes | external */
    @Column(nullable = false)
    public String executor;

    @Column(name = "gpu_type")
    public String gpuType;

    @Column(nullable = false)
    public int epochs;

    @Column(name = "image_size")
    public Integer imageSize;

    /** queued | starting | running | completed | failed | cancelled */
    @Column(nullable = false)
    public String status;

    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    /** An architecture ({@code yolo11n.yaml}) or a signed URL of {@code .pt} weights. */
    @Column(name = "model_source")
    public String modelSource;

    /** Signed URL of the dataset's NDJSON export. */
    @Column(name = "data_url")
    public String dataUrl;

    /** The SDK's {@code ul://user/datasets/slug} of the dataset. */
    @Column(name = "dataset_uri")
    public String datasetUri;

    @Column(name = "run_key_id")
    public String runKeyId;

    @Column(name = "run_key_secret")
    public String runKeySecret;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "epochs_done", nullable = false)
    public int epochsDone;

    @Column(name = "best_epoch")
    public Integer bestEpoch;

    @Column(name = "best_fitness")
    public Double bestFitness;

    /** JSON object: the latest metrics (the final ones once completed). */
    @Column(nullable = false)
    public String metrics;

    /** JSON array of class names, from training_complete. */
    @Column(name = "class_names")
    public String classNames;

    @Column(name = "train_args")
    public String trainArgs;

    public String environment;

    public String device;

    @Column(name = "model_path")
    public String modelPath;

    public String error;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "worker_pid")
    public Long workerPid;

    @Column(name = "worker_dir")
    public String workerDir;

    @Column(name = "queued_at", nullable = false)
    public Instant queuedAt;

    /** When the trainer's training_started arrived. */
    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean active() {
        return ACTIVE.contains(status);
    }
}
