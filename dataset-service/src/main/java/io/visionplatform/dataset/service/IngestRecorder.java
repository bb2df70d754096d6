package io.visionplatform.dataset.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.DatasetImage;
import io.visionplatform.dataset.IngestJob;
import io.visionplatform.dataset.config.DatasetsConfig;
import io.visionplatform.dataset.ingest.DatasetTask;
import io.visionplatform.dataset.ingest.FileProblem;
import io.visionplatform.dataset.ingest.ScanResult;
import io.visionplatform.dataset.repository.DatasetImageRepository;
import io.visionplatform.dataset.repository.DatasetRepository;
import io.visionplatform.dataset.repository.IngestJobRepository;
import io.visionplatform.dataset.service.IngestOutcome.Skipped;
import io.visionplatform.dataset.service.IngestOutcome.Stored;
import io.visionplatform.dataset.service.StoredJson.StagedFile;

/**
 * The transactions of an ingest job: queue it, claim it, fix its classes, record each batch of images with the
 * dataset's counts, and finish it with its events. Each batch commits on its own, so progress shows while the job
 * runs and a resumed job skips what is already recorded.
 */
@ApplicationScoped
public class IngestRecorder {

    /** Problems kept per job; the count goes on beyond it. */
    static final int MAX_PROBLEMS_KEPT = 1000;

    private final IngestJobRepository jobs;
    private final DatasetRepository datasets;
    private final DatasetImageRepository images;
    private final Outbox outbox;
    private final StoredJson json;
    private final Duration lease;

    public IngestRecorder(IngestJobRepository jobs, DatasetRepository datasets, DatasetImageRepository images,
            Outbox outbox, StoredJson json, DatasetsConfig config) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.images = images;
        this.outbox = outbox;
        this.json = json;
        this.lease = config.ingest().lease();
    }

    /** A new job for a scanned, staged upload; the dataset shows {@code processing} until its jobs are done. */
    @WithTransaction
    public Uni<IngestJob> enqueue(String accountId, String datasetId, String jobId, String defaultSplit,
            ScanResult scan, List<StagedFile> staged) {
        return datasets.requireLive(accountId, datasetId)
                .invoke(dataset -> dataset.status = "processing")
                .map(dataset -> newJob(accountId, datasetId, jobId, defaultSplit, scan, staged))
                .call(jobs::persist);
    }

    /** The id of the next job this replica should run, or null when there is none. */
    @WithTransaction
    public Uni<String> claimNext() {
        Instant now = Instant.now();
        return jobs.claimNext(now, now.plus(lease));
    }

    @WithSession
    public Uni<JobPlan> plan(String jobId) {
        return jobs.findById(jobId)
                .chain(job -> datasets.findById(job.datasetId)
                        .map(dataset -> new JobPlan(job.id, job.datasetId, DatasetTask.of(dataset.task),
                                job.defaultSplit, job.files, job.attempts > 1)));
    }

    /**
     * Starts (or resumes) the job on a fresh scan: the upload's classes join the dataset's, and the counters restart
     * from what earlier attempts already recorded.
     */
    @WithTransaction
    public Uni<ClassMerge> begin(String jobId, ScanResult scan) {
        return jobs.findById(jobId)
                .call(job -> images.addedBy(jobId)
                        .invoke(added -> {
                            job.format = scan.format();
                            job.total = scan.images().size();
                            job.added = (int) added.count();
                            job.addedBytes = added.bytes();
                            job.processed = 0;
                            job.duplicates = 0;
                            job.failed = scan.problems().size();
                            job.problems = json.write(capped(scan.problems()));
                            job.leaseUntil = Instant.now().plus(lease);
                        }))
                .chain(job -> datasets.findById(job.datasetId))
                .map(dataset -> {
                    ClassMerge merge = ClassMerge.of(json.classNames(dataset.classNames), scan.classNames());
                    dataset.classNames = json.write(merge.classNames());
                    if (dataset.kptShape == null && !scan.kptShape().isEmpty()) {
                        dataset.kptShape = json.write(scan.kptShape());
                    }
                    return merge;
                });
    }

    /**
     * Records one batch: new images get rows (a file name already used in the dataset gets the hash appended),
     * images the dataset already holds count as duplicates, and the dataset's counts move with them.
     */
    @WithTransaction
    public Uni<Void> recordBatch(String jobId, List<IngestOutcome> outcomes) {
        List<Stored> stored = outcomes.stream()
                .filter(Stored.class::isInstance)
                .map(Stored.class::cast)
                .toList();
        List<FileProblem> problems = outcomes.stream()
                .filter(Skipped.class::isInstance)
                .map(outcome -> ((Skipped) outcome).problem())
                .toList();
        long duplicates = outcomes.stream()
                .filter(IngestOutcome.Duplicate.class::isInstance)
                .count();
        long alreadyRecorded = outcomes.stream()
                .filter(IngestOutcome.AlreadyRecorded.class::isInstance)
                .count();
        return jobs.findById(jobId)
                .invoke(job -> {
                    job.duplicates += (int) duplicates;
                    job.processed += (int) (duplicates + alreadyRecorded);
                })
                .chain(job -> existingOf(job.datasetId, stored)
                        .chain(existing -> images.takenFileNames(job.datasetId, fileNames(stored))
                                .map(taken -> newImages(job, stored, existing, new HashSet<>(taken))))
                        .call(added -> added.isEmpty() ? Uni.createFrom().voidItem() : images.persist(added))
                        .chain(added -> datasets.findById(job.datasetId)
                                .invoke(dataset -> count(dataset, job, added, stored.size(), problems))))
                .replaceWithVoid();
    }

    /** The job that recorded these bytes in the dataset, or null when the dataset does not hold them yet. */
    @WithSession
    public Uni<String> recordedBy(String datasetId, String contentHash) {
        return images.findByHashes(datasetId, List.of(contentHash))
                .map(found -> found.isEmpty() ? null : found.get(0).ingestJobId);
    }

    /** Ends the job (failed when {@code failure} is set) and tells the platform what changed. */
    @WithTransaction
    public Uni<Void> finish(String jobId, String failure) {
        Instant now = Instant.now();
        return jobs.findById(jobId)
                .invoke(job -> {
                    job.state = failure == null ? "succeeded" : "failed";
                    job.message = failure;
                    job.finishedAt = now;
                    job.leaseUntil = null;
                })
                .chain(job -> jobs.countUnfinished(job.datasetId, job.id)
                        .chain(unfinished -> datasets.findById(job.datasetId)
                                .invoke(dataset -> {
                                    dataset.status = unfinished > 0 ? "processing"
                                            : dataset.imageCount > 0 || failure == null ? "ready" : "failed";
                                    dataset.updatedAt = now;
                                }))
                        .call(dataset -> announce(job, dataset)))
                .replaceWithVoid();
    }

    @WithSession
    public Uni<Integer> attempts(String jobId) {
        return jobs.findById(jobId)
                .map(job -> job.attempts);
    }

    /** Hands a job back to the queue after a failure that may pass (the store was unreachable, ...). */
    @WithTransaction
    public Uni<Void> release(String jobId, String reason) {
        return jobs.findById(jobId)
                .invoke(job -> {
                    job.state = "queued";
                    job.message = reason;
                    job.leaseUntil = null;
                })
                .replaceWithVoid();
    }

    private Uni<Void> announce(IngestJob job, Dataset dataset) {
        Map<String, Object> ingested = new LinkedHashMap<>();
        ingested.put("jobId", job.id);
        ingested.put("state", job.state);
        ingested.put("added", job.added);
        ingested.put("duplicates", job.duplicates);
        ingested.put("failed", job.failed);
        ingested.put("imageCount", dataset.imageCount);
        Uni<Void> events = outbox.append(Topics.DATASETS, "dataset.ingested", job.accountId, dataset.id, ingested)
                .chain(() -> outbox.append(Topics.DATASETS, "dataset.updated", job.accountId, dataset.id, Map.of(
                        "imageCount", dataset.imageCount,
                        "classCount", json.classNames(dataset.classNames).size(),
                        "annotationCount", dataset.annotationCount,
                        "totalBytes", dataset.totalBytes,
                        "status", dataset.status)))
                .replaceWithVoid();
        if (job.addedBytes == 0) {
            return events;
        }
        return events.chain(() -> outbox.append(Topics.USAGE, "storage.changed", job.accountId, dataset.id, Map.of(
                "service", "datasets",
                "bytesDelta", job.addedBytes,
                "totalBytes", dataset.totalBytes)))
                .replaceWithVoid();
    }

    private Uni<Map<String, DatasetImage>> existingOf(String datasetId, List<Stored> stored) {
        if (stored.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return images.findByHashes(datasetId, stored.stream()
                .map(Stored::contentHash)
                .collect(Collectors.toSet()))
                .map(found -> found.stream()
                        .collect(Collectors.toMap(image -> image.contentHash, image -> image)));
    }

    private List<DatasetImage> newImages(IngestJob job, List<Stored> stored, Map<String, DatasetImage> existing,
            Set<String> takenNames) {
        Set<String> seenHashes = new HashSet<>(existing.keySet());
        List<DatasetImage> added = new ArrayList<>();
        Instant now = Instant.now();
        for (Stored image : stored) {
            DatasetImage known = existing.get(image.contentHash());
            if (known != null && job.id.equals(known.ingestJobId)) {
                continue; // recorded by an earlier attempt of this job, already counted
            }
            if (!seenHashes.add(image.contentHash())) {
                job.duplicates++;
                continue;
            }
            DatasetImage row = new DatasetImage();
            row.id = Ids.newId("image");
            row.datasetId = job.datasetId;
            row.contentHash = image.contentHash();
            row.fileName = uniqueName(image.file(), image.contentHash(), takenNames);
            row.split = image.split();
            row.width = image.width();
            row.height = image.height();
            row.bytes = image.bytes();
            row.contentType = image.contentType();
            row.objectKey = image.objectKey();
            row.thumbnailKey = image.thumbnailKey();
            row.annotations = json.writeRows(image.annotations());
            row.annotationCount = image.annotations().size();
            row.ingestJobId = job.id;
            row.createdAt = now;
            added.add(row);
        }
        return added;
    }

    private void count(Dataset dataset, IngestJob job, List<DatasetImage> added, int stored, List<FileProblem> problems) {
        long bytes = added.stream()
                .mapToLong(image -> image.bytes)
                .sum();
        Map<String, Integer> splits = new TreeMap<>(json.splits(dataset.splits));
        added.forEach(image -> splits.merge(image.split, 1, Integer::sum));
        dataset.splits = json.write(splits);
        dataset.imageCount += added.size();
        dataset.annotationCount += added.stream()
                .mapToInt(image -> image.annotationCount)
                .sum();
        dataset.totalBytes += bytes;
        dataset.updatedAt = Instant.now();

        job.processed += stored + problems.size();
        job.added += added.size();
        job.addedBytes += bytes;
        job.failed += problems.size();
        List<FileProblem> kept = new ArrayList<>(json.problems(job.problems));
        kept.addAll(problems);
        job.problems = json.write(capped(kept));
        job.leaseUntil = Instant.now().plus(lease);
    }

    private static List<String> fileNames(List<Stored> stored) {
        List<String> names = stored.stream()
                .map(Stored::file)
                .distinct()
                .toList();
        return names.isEmpty() ? List.of("") : names;
    }

    /** Export file names must be unique in a dataset: a clash keeps the name and appends the content hash. */
    private static String uniqueName(String file, String contentHash, Set<String> takenNames) {
        String name = file;
        if (takenNames.contains(name)) {
            int dot = file.lastIndexOf('.');
            String stem = dot > 0 ? file.substring(0, dot) : file;
            String extension = dot > 0 ? file.substring(dot) : "";
            name = stem + "-" + contentHash.substring(0, 12) + extension;
        }
        takenNames.add(name);
        return name;
    }

    private static List<FileProblem> capped(List<FileProblem> problems) {
        return problems.size() <= MAX_PROBLEMS_KEPT ? problems : problems.subList(0, MAX_PROBLEMS_KEPT);
    }

    private IngestJob newJob(String accountId, String datasetId, String jobId, String defaultSplit, ScanResult scan,
            List<StagedFile> staged) {
        IngestJob job = new IngestJob();
        job.id = jobId;
        job.datasetId = datasetId;
        job.accountId = accountId;
        job.state = "queued";
        job.format = scan.format();
        job.defaultSplit = defaultSplit;
        job.files = json.write(staged);
        job.total = scan.images().size();
        job.failed = scan.problems().size();
        job.problems = json.write(capped(scan.problems()));
        job.createdAt = Instant.now();
        return job;
    }
}
