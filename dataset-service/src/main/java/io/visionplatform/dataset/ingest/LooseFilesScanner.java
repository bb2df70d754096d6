package io.visionplatform.dataset.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scans an upload of plain files: images, YOLO label files matched to them by stem, and an optional
 * {@code data.yaml} or {@code classes.txt} naming the classes.
 */
final class LooseFilesScanner {

    /** A file of the upload under its client base name. */
    private record Named(String name, UploadedFile file) {
    }

    private final IngestLimits limits;

    LooseFilesScanner(IngestLimits limits) {
        this.limits = limits;
    }

    ScanResult scan(List<UploadedFile> files, DatasetTask task, String defaultSplit) {
        try {
            return scanFiles(files, task, defaultSplit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ScanResult scanFiles(List<UploadedFile> files, DatasetTask task, String defaultSplit)
            throws IOException {
        ScanCollector out = new ScanCollector();
        List<Named> images = new ArrayList<>();
        Map<String, Named> labelsByStem = new LinkedHashMap<>();
        List<Named> yamls = new ArrayList<>();
        Named classesFile = null;
        for (UploadedFile file : files) {
            Named named = new Named(UploadPaths.clientBaseName(file.fileName()), file);
            String ext = UploadPaths.extension(named.name());
            if (named.name().isEmpty()) {
                out.problem(String.valueOf(file.fileName()), "the file has no name");
            } else if (UploadPaths.looksLikeImage(named.name())) {
                images.add(named);
            } else if (named.name().equalsIgnoreCase("classes.txt")) {
                classesFile = named;
            } else if (ext.equals("txt")) {
                if (labelsByStem.putIfAbsent(UploadPaths.stem(named.name()), named) != null) {
                    out.problem(named.name(), "duplicate label file name");
                }
            } else if (UploadPaths.isYaml(named.name())) {
                yamls.add(named);
            } else {
                out.problem(named.name(), "not an image or label file");
            }
        }
        DatasetYaml description = description(yamls, classesFile, task);
        AnnotationRules rules = new AnnotationRules(task, description.names().size(), description.kptShape());
        Set<String> imageStems = new HashSet<>();
        for (Named image : images) {
            imageStems.add(UploadPaths.stem(image.name()));
        }
        for (Named image : images) {
            Optional<ImageHeaderReader.ImageHeader> header = probe(image, out);
            if (header.isEmpty()) {
                continue;
            }
            Named label = labelsByStem.get(UploadPaths.stem(image.name()));
            Optional<List<List<Double>>> rows = label == null ? Optional.of(List.of()) : readLabels(label, rules, out);
            if (rows.isPresent() && out.claimName(image.name(), image.name())) {
                out.add(new ScannedImage(image.name(), defaultSplit,
                        new ImageSource.LocalFileSource(image.file().path()), rows.get(), header.get().width(),
                        header.get().height()));
            }
        }
        labelsByStem.forEach((stem, label) -> {
            if (!imageStems.contains(stem)) {
                out.problem(label.name(), "label file has no matching image");
            }
        });
        return out.finish("images", description.names(), rules.kptShape());
    }

    private Optional<ImageHeaderReader.ImageHeader> probe(Named image, ScanCollector out) throws IOException {
        long size = Files.size(image.file().path());
        if (size > limits.maxImageBytes()) {
            out.problem(image.name(), "image is larger than the limit of " + limits.maxImageBytes() + " bytes");
            return Optional.empty();
        }
        return ImageProbe.probe(image.name(), () -> Files.newInputStream(image.file().path()), limits, out);
    }

    private Optional<List<List<Double>>> readLabels(Named label, AnnotationRules rules, ScanCollector out)
            throws IOException {
        if (Files.size(label.file().path()) > limits.maxImageBytes()) {
            out.problem(label.name(), "label file is larger than the limit of " + limits.maxImageBytes() + " bytes");
            return Optional.empty();
        }
        try (BufferedReader reader = Files.newBufferedReader(label.file().path(), StandardCharsets.UTF_8)) {
            return Optional.of(LabelFileParser.parse(reader, rules));
        } catch (InvalidAnnotationException e) {
            out.problem(label.name(), e.getMessage());
            return Optional.empty();
        } catch (CharacterCodingException e) {
            out.problem(label.name(), "label file is not UTF-8 text");
            return Optional.empty();
        }
    }

    /** {@code data.yaml} first, else any YAML, else {@code classes.txt}; none → no class names. */
    private DatasetYaml description(List<Named> yamls, Named classesFile, DatasetTask task) throws IOException {
        Optional<Named> yaml = yamls.stream().filter(y -> UploadPaths.stem(y.name()).equalsIgnoreCase("data"))
                .findFirst().or(() -> yamls.stream().findFirst());
        if (yaml.isPresent()) {
            if (Files.size(yaml.get().file().path()) > limits.maxImageBytes()) {
                throw new UploadRejectedException(yaml.get().name() + " is too large",
                        Map.of("file", yaml.get().name()));
            }
            try (InputStream in = Files.newInputStream(yaml.get().file().path())) {
                DatasetYaml parsed = DatasetYaml.parse(in);
                return task == DatasetTask.POSE ? parsed : new DatasetYaml(parsed.names(), List.of());
            } catch (DatasetYaml.InvalidDescriptionException e) {
                throw new UploadRejectedException(yaml.get().name() + " is not a valid dataset description: "
                        + e.getMessage(), Map.of("file", yaml.get().name()));
            }
        }
        if (classesFile != null) {
            try (BufferedReader reader = Files.newBufferedReader(classesFile.file().path(),
                    StandardCharsets.UTF_8)) {
                return new DatasetYaml(ClassesFile.read(reader), List.of());
            }
        }
        return new DatasetYaml(List.of(), List.of());
    }
}
