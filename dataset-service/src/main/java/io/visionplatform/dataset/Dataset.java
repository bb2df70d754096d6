package io.visionplatform.dataset;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A dataset: images and labels for one Ultralytics task, owned by one account. */
@Entity
public class Dataset {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    /** Kept so {@code ul://{username}/datasets/{slug}} resolves without asking the gateway. */
    @Column(name = "owner_username", nullable = false)
    public String ownerUsername;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String slug;

    public String description;

    /** detect | segment | pose | obb | classify */
    @Column(nullable = false)
    public String task;

    @Column(nullable = false)
    public String visibility;

    /** processing | ready | failed */
    @Column(nullable = false)
    public String status;

    /** JSON array of class names, index = class id. */
    @Column(name = "class_names", nullable = false)
    public String classNames;

    /** JSON object: images per split ({"train": 40, "val": 16}). */
    @Column(nullable = false)
    public String splits;

    /** JSON array, pose datasets only: keypoints per object and values per keypoint ({@code [17, 3]}). */
    @Column(name = "kpt_shape")
    public String kptShape;

    @Column(name = "image_count", nullable = false)
    public int imageCount;

    @Column(name = "annotation_count", nullable = false)
    public int annotationCount;

    @Column(name = "total_bytes", nullable = false)
    public long totalBytes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Set when moved to the trash; the data is kept for 30 days. */
    @Column(name = "deleted_at")
    public Instant deletedAt;
}
