package io.visionplatform.dataset;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A numbered, immutable version of a dataset and where its NDJSON file is. */
@Entity
@Table(name = "dataset_export")
public class DatasetExport {

    @Id
    public String id;

    @Column(name = "dataset_id", nullable = false)
    public String datasetId;

    @Column(nullable = false)
    public int version;

    /** The version holds every image of the dataset whose seq is at most this. */
    @Column(name = "image_seq_max", nullable = false)
    public long imageSeqMax;

    @Column(name = "image_count", nullable = false)
    public int imageCount;

    /** Bytes of the version's images. */
    @Column(name = "image_bytes", nullable = false)
    public long imageBytes;

    /** JSON array of the class names at the time of the version. */
    @Column(name = "class_names", nullable = false)
    public String classNames;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    /** Size of the last rendered NDJSON file. */
    public Long bytes;

    /** When the NDJSON file (and the signed URLs in it) was last written. */
    @Column(name = "rendered_at")
    public Instant renderedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
