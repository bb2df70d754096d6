package io.visionplatform.dataset.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.dataset.config.DatasetsConfig;
import io.visionplatform.dataset.ingest.UploadedFile;
import io.visionplatform.dataset.service.StoredJson.StagedFile;

/**
 * Keeps an upload until its job is done: on local disk for the replica that received it, and in the bucket so any
 * replica can resume the job after a crash.
 */
@ApplicationScoped
public class UploadStaging {

    private final StorageClient storage;
    private final Path workRoot;

    public UploadStaging(StorageClient storage, DatasetsConfig config) {
        this.storage = storage;
        this.workRoot = Path.of(config.ingest()
                .workDir()
                .orElse(System.getProperty("java.io.tmpdir") + "/platform-dataset-ingest"));
    }

    /**
     * Moves the request's files into the job's folder (Quarkus deletes its own copies when the request ends).
     * Blocking: call it off the event loop.
     */
    public List<UploadedFile> takeOver(String jobId, List<FileUpload> parts) {
        Path folder = jobFolder(jobId);
        List<UploadedFile> files = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < parts.size(); i++) {
                FileUpload part = parts.get(i);
                String name = baseName(part.fileName());
                Path target = localFile(folder, i, name);
                Files.move(part.uploadedFile(), target, StandardCopyOption.REPLACE_EXISTING);
                files.add(new UploadedFile(name, target));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the upload on local disk", e);
        }
    }

    /** Copies the files to the bucket, one after another. */
    public Uni<List<StagedFile>> stage(String datasetId, String jobId, List<UploadedFile> files) {
        return Multi.createFrom()
                .range(0, files.size())
                .onItem()
                .transformToUniAndConcatenate(index -> storage
                        .put(ObjectKeys.stagedUpload(datasetId, jobId, index, files.get(index).fileName()),
                                files.get(index).path(), "application/octet-stream")
                        .map(stored -> new StagedFile(files.get(index).fileName(), stored.key(), stored.size())))
                .collect()
                .asList();
    }

    /**
     * The job's files on local disk: still there on the replica that received them, downloaded again from the bucket
     * elsewhere. Blocking.
     */
    public List<UploadedFile> localCopy(String jobId, List<StagedFile> staged) {
        Path folder = jobFolder(jobId);
        List<UploadedFile> files = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < staged.size(); i++) {
                StagedFile file = staged.get(i);
                Path local = localFile(folder, i, file.name());
                if (!Files.exists(local) || Files.size(local) != file.bytes()) {
                    storage.download(file.key(), local)
                            .await()
                            .indefinitely();
                }
                files.add(new UploadedFile(file.name(), local));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the upload on local disk", e);
        }
    }

    /** Removes the job's local folder. Blocking. */
    public void discardLocal(String jobId) {
        Path folder = jobFolder(jobId);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + folder, e);
        }
    }

    /** Removes the staged copies from the bucket. */
    public Uni<Integer> discardStaged(String datasetId, String jobId) {
        return storage.deleteByPrefix(ObjectKeys.uploadPrefix(datasetId, jobId));
    }

    /** Where the {@code index}-th file of a job lies on local disk; the same name on every replica. */
    private static Path localFile(Path folder, int index, String fileName) {
        return folder.resolve(index + "-" + ObjectKeys.safeFileName(fileName));
    }

    private Path jobFolder(String jobId) {
        return workRoot.resolve(jobId);
    }

    /** Browsers and curl send base names, but a client may send a path: only its last segment names the file. */
    private static String baseName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "upload";
        }
        String name = fileName.replace('\\', '/');
        String base = name.substring(name.lastIndexOf('/') + 1);
        return base.isBlank() ? "upload" : base;
    }
}
