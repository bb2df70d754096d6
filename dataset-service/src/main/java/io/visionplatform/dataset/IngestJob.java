package io.visionplatform.dataset;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An upload being ingested into a dataset, with its progress and the files it skipped. */
@Entity
@Table(name = "ingest_job")
public class IngestJob {

    @Id
    public String id;

    @Column(name = "dataset_id", nullable = false)
    public String datasetId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    /** queued | running | succeeded | failed */
    @Column(nullable = false)
    public String state;

    /** What the scan recognised: yolo-zip | coco-zip | classify-zip | ndjson | images. */
    public String format;

    /** The split of images whose layout names none. */
    @Column(name = "default_split", nullable = false)
    public String defaultSplit;

    /** JSON array of the staged upload files: {@code [{"name":..,"key":..,"bytes":..}]}. */
    @Column(nullable = false)
    public String files;

    /** Images the scan accepted. */
    @Column(nullable = false)
    public int total;

    @Column(nullable = false)
    public int processed;

    @Column(nullable = false)
    public int added;

    @Column(nullable = false)
    public int duplicates;

    @Column(nullable = false)
    public int failed;

    @Column(name = "added_bytes", nullable = false)
    public long addedBytes;

    /** JSON array of {@code {"file":..,"reason":..}}: what was skipped and why (capped). */
    @Column(nullable = false)
    public String problems;

    /** Why the job failed as a whole. */
    public String message;

    @Column(nullable = false)
    public int attempts;

    /** Until when the replica working on it owns it; a lapsed lease lets another replica resume it. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
