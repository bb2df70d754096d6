package io.visionplatform.dataset;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One distinct image of a dataset (by content hash) with its labels, in the dataset's class ids. */
@Entity
@Table(name = "dataset_image")
public class DatasetImage {

    /** Insertion order; an export version holds every image up to its watermark. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public String id;

    @Column(name = "dataset_id", nullable = false)
    public String datasetId;

    /** SHA-256 of the image bytes, hex. */
    @Column(name = "content_hash", nullable = false)
    public String contentHash;

    /** The file name the image has in exports, unique within the dataset. */
    @Column(name = "file_name", nullable = false)
    public String fileName;

    /** train | val | test */
    @Column(nullable = false)
    public String split;

    @Column(nullable = false)
    public int width;

    @Column(nullable = false)
    public int height;

    @Column(nullable = false)
    public long bytes;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(name = "thumbnail_key", nullable = false)
    public String thumbnailKey;

    /** JSON array of Ultralytics rows for the dataset's task, e.g. {@code [[0,0.5,0.5,0.2,0.1]]}. */
    @Column(nullable = false)
    public String annotations;

    @Column(name = "annotation_count", nullable = false)
    public int annotationCount;

    @Column(name = "ingest_job_id", nullable = false)
    public String ingestJobId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
