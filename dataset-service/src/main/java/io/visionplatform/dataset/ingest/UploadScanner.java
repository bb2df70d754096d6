package io.visionplatform.dataset.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Reads an upload's structure without storing anything: archive safety, layout (YOLO, COCO, classify folders,
 * NDJSON, loose images with label files), class names, labels and image headers. Pure Java, no I/O besides the
 * local files it is given.
 */
public final class UploadScanner {

    private final IngestLimits limits;

    public UploadScanner(IngestLimits limits) {
        this.limits = limits;
    }

    /**
     * @param files the upload's files, already on local disk
     * @param task the dataset's task; labels are read and checked for it
     * @param defaultSplit the split of images whose layout names none (loose images, COCO files without a split name)
     * @throws UploadRejectedException when the upload as a whole is unsafe or unusable
     */
    public ScanResult scan(List<UploadedFile> files, DatasetTask task, String defaultSplit) {
        String split = defaultSplit == null ? null : UploadPaths.splitOf(defaultSplit);
        if (split == null) {
            throw new IllegalArgumentException("defaultSplit must be train, val or test, not " + defaultSplit);
        }
        if (files == null || files.isEmpty()) {
            throw new UploadRejectedException("the upload holds no files", Map.of());
        }
        if (files.size() == 1) {
            return scanSingle(files.get(0), task, split);
        }
        for (UploadedFile file : files) {
            String ext = UploadPaths.extension(UploadPaths.clientBaseName(file.fileName()));
            if (ext.equals("zip")) {
                throw new UploadRejectedException("send one archive per upload", Map.of("file", file.fileName()));
            }
            if (UploadPaths.NDJSON_EXTENSIONS.contains(ext)) {
                throw new UploadRejectedException("send one NDJSON file per upload", Map.of("file", file.fileName()));
            }
        }
        return new LooseFilesScanner(limits).scan(files, task, split);
    }

    private ScanResult scanSingle(UploadedFile file, DatasetTask task, String split) {
        String name = UploadPaths.clientBaseName(file.fileName());
        try {
            if (Files.size(file.path()) == 0) {
                throw new UploadRejectedException("the uploaded file is empty", Map.of("file", name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String ext = UploadPaths.extension(name);
        if (ext.equals("zip")) {
            return new ZipUploadScanner(limits).scan(file.path(), task, split);
        }
        if (UploadPaths.NDJSON_EXTENSIONS.contains(ext)) {
            return new NdjsonUploadScanner(limits).scan(file.path(), task, split);
        }
        return new LooseFilesScanner(limits).scan(List.of(file), task, split);
    }
}
