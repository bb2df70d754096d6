package io.visionplatform.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One file of a model in the bucket: its weights or an export. */
@Entity
@Table(name = "model_file")
public class ModelFile {

    @Id
    public String id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    /** weights | export */
    @Column(nullable = false)
    public String kind;

    /** pt | onnx | torchscript */
    @Column(nullable = false)
    public String format;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(nullable = false)
    public long bytes;

    @Column(name = "content_hash")
    public String contentHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
