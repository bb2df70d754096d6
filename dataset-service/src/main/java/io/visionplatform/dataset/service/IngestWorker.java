package io.visionplatform.dataset.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.storage.ContentHash;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.dataset.config.DatasetsConfig;
import io.visionplatform.dataset.ingest.BadImageException;
import io.visionplatform.dataset.ingest.DecodedImage;
import io.visionplatform.dataset.ingest.FileProblem;
import io.visionplatform.dataset.ingest.ImageDecoder;
import io.visionplatform.dataset.ingest.ImageSourceReader;
import io.visionplatform.dataset.ingest.IngestLimits;
import io.visionplatform.dataset.ingest.ScanResult;
import io.visionplatform.dataset.ingest.ScannedImage;
import io.visionplatform.dataset.ingest.UploadRejectedException;
import io.visionplatform.dataset.ingest.UploadScanner;
import io.visionplatform.dataset.ingest.UploadedFile;
import io.visionplatform.dataset.service.IngestOutcome.AlreadyRecorded;
import io.visionplatform.dataset.service.IngestOutcome.Duplicate;
import io.visionplatform.dataset.service.IngestOutcome.Skipped;
import io.visionplatform.dataset.service.IngestOutcome.Stored;

/**
 * Runs ingest jobs on worker threads: claims queued jobs (and jobs whose replica died), rescans the staged upload,
 * then reads and hashes its images in parallel — bytes the dataset already holds go no further — and decodes,
 * thumbnails and stores the new ones, recording them batch by batch.
 * Blocking by design — the CPU work never touches the event loop; database work goes through reactive
 * transactions awaited from these threads.
 */
@ApplicationScoped
public class IngestWorker {

    private static final Logger LOG = Logger.getLogger(IngestWorker.class);
    private static final int BATCH_SIZE = 64;
    private static final int MAX_ATTEMPTS = 3;

    private final IngestRecorder recorder;
    private final UploadStaging staging;
    private final StorageClient storage;
    private final RemoteImageFetcher remote;
    private final StoredJson json;
    private final IngestLimits limits;
    private final ImageDecoder decoder;
    private final int concurrentJobs;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(named("ingest-dispatch"));
    private final ExecutorService jobRunners;
    private final ExecutorService imageWorkers;
    private final AtomicInteger running = new AtomicInteger();

    public IngestWorker(IngestRecorder recorder, UploadStaging staging, StorageClient storage,
            RemoteImageFetcher remote, StoredJson json, DatasetsConfig config) {
        this.recorder = recorder;
        this.staging = staging;
        this.storage = storage;
        this.remote = remote;
        this.json = json;
        this.limits = config.ingest().limits();
        this.decoder = new ImageDecoder(limits);
        this.concurrentJobs = config.ingest().concurrentJobs();
        this.jobRunners = Executors.newFixedThreadPool(concurrentJobs, named("ingest-job"));
        this.imageWorkers = Executors.newFixedThreadPool(config.ingest().threads(), named("ingest-image"));
    }

    /** Looks for work now instead of at the next poll (a job was just queued). */
    public void wake() {
        dispatcher.execute(this::claimWhileIdle);
    }

    /** Picks up jobs queued by other replicas and jobs whose replica died. */
    @Scheduled(every = "2s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    @PreDestroy
    void stop() {
        dispatcher.shutdownNow();
        jobRunners.shutdownNow();
        imageWorkers.shutdownNow();
    }

    private void claimWhileIdle() {
        while (running.get() < concurrentJobs) {
            String jobId;
            try {
                jobId = await(recorder::claimNext);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot claim ingest jobs: %s", e.getMessage());
                return;
            }
            if (jobId == null) {
                return;
            }
            running.incrementAndGet();
            jobRunners.execute(() -> {
                try {
                    run(jobId);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Ingest job %s stopped; its lease will lapse and it will be resumed", jobId);
                } finally {
                    running.decrementAndGet();
                    wake();
                }
            });
        }
    }

    private void run(String jobId) {
        JobPlan plan = await(() -> recorder.plan(jobId));
        try {
            List<UploadedFile> files = staging.localCopy(jobId, json.stagedFiles(plan.stagedFiles()));
            ScanResult scan = new UploadScanner(limits).scan(files, plan.task(), plan.defaultSplit());
            ClassMerge classes = await(() -> recorder.begin(jobId, scan));
            ingestImages(plan, scan, classes);
            await(() -> recorder.finish(jobId, null));
            discardUpload(plan);
        } catch (UploadRejectedException e) {
            await(() -> recorder.finish(jobId, e.getMessage()));
            discardUpload(plan);
        } catch (RuntimeException e) {
            retryOrFail(plan, e);
        }
    }

    private void ingestImages(JobPlan plan, ScanResult scan, ClassMerge classes) {
        try (ImageSourceReader reader = new ImageSourceReader(limits, remote::open)) {
            List<ScannedImage> images = scan.images();
            for (int start = 0; start < images.size(); start += BATCH_SIZE) {
                List<Callable<IngestOutcome>> batch = new ArrayList<>();
                for (ScannedImage image : images.subList(start, Math.min(images.size(), start + BATCH_SIZE))) {
                    batch.add(() -> ingestOne(plan, reader, image, classes));
                }
                List<IngestOutcome> outcomes = outcomesOf(imageWorkers.invokeAll(batch));
                await(() -> recorder.recordBatch(plan.jobId(), outcomes));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot close the upload's archives", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ingesting", e);
        }
    }

    /** One image: read, hash, decode, thumbnail, store both under the hash; a bad image is skipped, not fatal. */
    private IngestOutcome ingestOne(JobPlan plan, ImageSourceReader reader, ScannedImage image, ClassMerge classes) {
        byte[] bytes;
        try {
            bytes = reader.readAll(image.source());
        } catch (IOException e) {
            return new Skipped(new FileProblem(image.file(), e.getMessage()));
        }
        String hash = ContentHash.sha256(bytes);
        String recordedBy = await(() -> recorder.recordedBy(plan.datasetId(), hash));
        if (recordedBy != null) {
            // Known bytes are neither decoded nor stored again
            return plan.resumed() && plan.jobId().equals(recordedBy) ? new AlreadyRecorded(hash) : new Duplicate(hash);
        }
        DecodedImage decoded;
        try {
            decoded = decoder.decode(bytes, image.file());
        } catch (BadImageException e) {
            return new Skipped(new FileProblem(image.file(), e.getMessage()));
        }
        String imageKey = ObjectKeys.image(plan.datasetId(), hash, decoded.extension());
        String thumbnailKey = ObjectKeys.thumbnail(plan.datasetId(), hash);
        storage.put(imageKey, bytes, decoded.contentType())
                .chain(() -> storage.put(thumbnailKey, decoded.thumbnailJpeg(), "image/jpeg"))
                .await()
                .indefinitely();
        return new Stored(withExtension(image.file(), decoded.extension()), image.split(), hash, decoded.contentType(),
                imageKey, thumbnailKey, decoded.width(), decoded.height(), bytes.length, image.annotations()
                        .stream()
                        .map(classes::remap)
                        .toList());
    }

    private void retryOrFail(JobPlan plan, RuntimeException failure) {
        LOG.warnf(failure, "Ingest job %s failed", plan.jobId());
        try {
            int attempts = await(() -> recorder.attempts(plan.jobId()));
            if (attempts < MAX_ATTEMPTS) {
                await(() -> recorder.release(plan.jobId(), "retrying after: " + failure.getMessage()));
            } else {
                await(() -> recorder.finish(plan.jobId(), "ingest failed: " + failure.getMessage()));
                discardUpload(plan);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Cannot record the failure of ingest job %s; its lease will lapse: %s", plan.jobId(),
                    e.getMessage());
        }
    }

    private void discardUpload(JobPlan plan) {
        staging.discardLocal(plan.jobId());
        try {
            await(() -> staging.discardStaged(plan.datasetId(), plan.jobId()));
        } catch (RuntimeException e) {
            LOG.warnf("Staged upload of job %s stays in the bucket until the dataset is purged: %s", plan.jobId(),
                    e.getMessage());
        }
    }

    private static List<IngestOutcome> outcomesOf(List<Future<IngestOutcome>> futures) throws InterruptedException {
        List<IngestOutcome> outcomes = new ArrayList<>();
        for (Future<IngestOutcome> future : futures) {
            try {
                outcomes.add(future.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            }
        }
        return outcomes;
    }

    /** A JPEG named {@code .png} is stored and exported as what it is. */
    private static String withExtension(String file, String extension) {
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String current = dot > 0 ? file.substring(dot + 1).toLowerCase() : "";
        boolean fits = current.equals(extension) || (extension.equals("jpg") && current.equals("jpeg"));
        return fits ? file : stem + "." + extension;
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
