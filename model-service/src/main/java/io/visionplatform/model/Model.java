package io.visionplatform.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A model of a project: uploaded weights, or an architecture that training fills. */
@Entity
public class Model {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "project_id", nullable = false)
    public String projectId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String slug;

    /** detect | segment | pose | obb | classify */
    @Column(nullable = false)
    public String task;

    /** ready | untrained | training | failed */
    @Column(nullable = false)
    public String status;

    /** JSON array, index = class id. */
    @Column(name = "class_names", nullable = false)
    public String classNames;

    /** The square input size the model was trained or exported at. */
    public Integer imgsz;

    public Integer stride;

    /** End-to-end head (YOLO26, YOLOv10): no NMS after the network. */
    @Column(nullable = false)
    public boolean end2end;

    /** onnx | torchscript | pt; null while untrained. */
    public String format;

    /** The architecture definition an untrained model starts from, e.g. {@code yolo11n.yaml}. */
    public String architecture;

    /** JSON object of the model's metrics (mAP50-95 …), filled by training. */
    @Column(nullable = false)
    public String metrics;

    @Column(name = "file_size", nullable = false)
    public long fileSize;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
