package io.visionplatform.training;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The metrics of one epoch of a run (0-based, as the SDK counts). */
@Entity
@Table(name = "training_epoch")
public class TrainingEpoch {

    @Id
    public String id;

    @Column(name = "run_id", nullable = false)
    public String runId;

    @Column(nullable = false)
    public int epoch;

    /** JSON object; values may be null (the SDK sends non-finite floats as null). */
    @Column(nullable = false)
    public String metrics;

    public Double fitness;

    @Column(name = "best_fitness")
    public Double bestFitness;

    public String system;

    @Column(name = "model_info")
    public String modelInfo;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
