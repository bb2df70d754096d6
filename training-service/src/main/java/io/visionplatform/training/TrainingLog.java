package io.visionplatform.training;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One chunk of a trainer's console output. */
@Entity
@Table(name = "training_log")
public class TrainingLog {

    @Id
    public String id;

    @Column(name = "run_id", nullable = false)
    public String runId;

    @Column(name = "chunk_id", nullable = false)
    public int chunkId;

    @Column(nullable = false)
    public String content;

    @Column(name = "line_count", nullable = false)
    public int lineCount;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
