package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A detection dataset ready for training: class names (indexed by class id) and the train and val samples.
 * {@link #load} reads the two forms Ultralytics accepts for {@code data=}: an NDJSON export (a local file or an
 * http(s) URL; images are downloaded) and a YOLO folder or its {@code data.yaml}.
 */
public record TrainingData(List<String> names, List<Sample> train, List<Sample> val) {

    public TrainingData {
        names = List.copyOf(names);
        train = List.copyOf(train);
        val = List.copyOf(val);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one class name");
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one training image");
        }
    }

    /**
     * Loads {@code data}: an {@code http(s)://} URL or path of an NDJSON file ({@code .ndjson} / {@code .jsonl}), or a
     * YOLO dataset folder or its YAML file. NDJSON images are downloaded into {@code cacheDir} (reused when already
     * there); a YOLO folder is read in place and {@code cacheDir} is not used.
     *
     * @throws DatasetFormatException (an {@link IllegalArgumentException}) for a malformed file, naming the file and line
     * @throws IOException when a file cannot be read or an image cannot be downloaded
     */
    public static TrainingData load(String data, Path cacheDir) throws IOException {
        Objects.requireNonNull(data, "data");
        String trimmed = data.strip();
        boolean remote = trimmed.startsWith("http://") || trimmed.startsWith("https://");
        if (remote || NdjsonDataset.looksLikeNdjson(trimmed)) {
            Objects.requireNonNull(cacheDir, "cacheDir");
            return NdjsonDataset.load(trimmed, cacheDir, ImageDownloader.withDefaults());
        }
        Path path = Path.of(trimmed);
        if (!Files.exists(path)) {
            throw new IOException("dataset not found: " + path.toAbsolutePath());
        }
        return YoloFolderDataset.load(path);
    }
}
