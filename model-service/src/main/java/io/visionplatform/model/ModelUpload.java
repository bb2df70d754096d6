package io.visionplatform.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A model file the SDK PUTs to a presigned URL; attached to its model once the object is in the bucket. */
@Entity
@Table(name = "model_upload")
public class ModelUpload {

    @Id
    public String id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(name = "run_id")
    public String runId;

    /** pending | attached | failed | expired */
    @Column(nullable = false)
    public String state;

    public String message;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "attached_at")
    public Instant attachedAt;
}
