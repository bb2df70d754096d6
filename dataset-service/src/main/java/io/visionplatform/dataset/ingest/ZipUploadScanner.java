package io.visionplatform.dataset.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Scans one uploaded zip: safety checks, a header probe of every image, then the layout — class folders (classify),
 * COCO JSON, YOLO {@code images/} + {@code labels/}, or loose images with label files beside them.
 */
final class ZipUploadScanner {

    /** Where an image's labels would be and which split it belongs to. */
    private record Placement(String labelPath, String split) {
    }

    /** Class folders of a classify layout. */
    private record ClassFolder(String className, String split) {
    }

    private final IngestLimits limits;

    ZipUploadScanner(IngestLimits limits) {
        this.limits = limits;
    }

    ScanResult scan(Path zip, DatasetTask task, String defaultSplit) {
        try (ZipArchive archive = ZipArchive.open(zip, limits)) {
            return new Scan(zip, archive, task, defaultSplit).run();
        } catch (IOException e) {
            throw readFailure(e, zip.getFileName().toString());
        }
    }

    /** An entry's data does not match the central directory, or cannot be inflated. */
    static UploadRejectedException readFailure(IOException e, String entry) {
        if (BoundedInputStream.causedByLimit(e)) {
            return new UploadRejectedException("archive entry holds more bytes than it declares",
                    Map.of("entry", entry));
        }
        return new UploadRejectedException("not a readable zip archive",
                Map.of("entry", entry, "reason", String.valueOf(e.getMessage())));
    }

    /** The state of one scan. */
    private final class Scan {
        private final Path zip;
        private final ZipArchive archive;
        private final DatasetTask task;
        private final String defaultSplit;
        private final ScanCollector out = new ScanCollector();
        private final List<ZipArchive.Item> imageItems = new ArrayList<>();
        private final Map<String, ZipArchive.Item> textItems = new LinkedHashMap<>();
        private final List<ZipArchive.Item> jsonItems = new ArrayList<>();

        Scan(Path zip, ZipArchive archive, DatasetTask task, String defaultSplit) {
            this.zip = zip;
            this.archive = archive;
            this.task = task;
            this.defaultSplit = defaultSplit;
            for (ZipArchive.Item item : archive.items()) {
                String ext = UploadPaths.extension(item.path());
                if (UploadPaths.looksLikeImage(item.path())) {
                    imageItems.add(item);
                } else if (ext.equals("txt")) {
                    textItems.put(item.path(), item);
                } else if (ext.equals("json")) {
                    jsonItems.add(item);
                }
            }
        }

        ScanResult run() throws IOException {
            List<ZipImage> images = probeImages();
            if (task == DatasetTask.CLASSIFY && imageItems.stream().allMatch(i -> classFolder(i.path()).isPresent())) {
                return classFolders(images);
            }
            boolean yoloSigns = rootYaml().isPresent()
                    || textItems.keySet().stream().anyMatch(ZipUploadScanner::inLabelsFolder);
            if (!yoloSigns && !jsonItems.isEmpty()) {
                List<CocoFile> cocoFiles = readCocoFiles();
                if (!cocoFiles.isEmpty()) {
                    CocoConversion.Outcome coco = CocoConversion.convert(cocoFiles, images, zip, task, defaultSplit,
                            out);
                    return out.finish("coco-zip", coco.classNames(), coco.kptShape());
                }
            }
            boolean yolo = imageItems.stream().anyMatch(i -> imagesFolderIndex(i.path()) >= 0);
            return labelled(images, yolo);
        }

        private List<ZipImage> probeImages() throws IOException {
            List<ZipImage> images = new ArrayList<>();
            for (ZipArchive.Item item : imageItems) {
                ImageProbe.probe(item.path(), () -> archive.open(item), limits, out)
                        .ifPresent(header -> images.add(new ZipImage(item, header.width(), header.height())));
            }
            return images;
        }

        /** YOLO ({@code images/} and {@code labels/} folders) or loose images with label files beside them. */
        private ScanResult labelled(List<ZipImage> images, boolean yolo) throws IOException {
            DatasetYaml description = description();
            AnnotationRules rules = new AnnotationRules(task, description.names().size(), description.kptShape());
            Set<String> labelsWithImage = new HashSet<>();
            for (ZipArchive.Item item : imageItems) {
                labelsWithImage.add(placement(item.path(), yolo).labelPath());
            }
            for (ZipImage image : images) {
                Placement placement = placement(image.path(), yolo);
                ZipArchive.Item label = textItems.get(placement.labelPath());
                Optional<List<List<Double>>> rows = label == null ? Optional.of(List.of()) : readLabels(label, rules);
                if (rows.isPresent() && out.claimName(image.fileName(), image.path())) {
                    out.add(scanned(image, placement.split(), rows.get()));
                }
            }
            for (String path : textItems.keySet()) {
                boolean candidate = yolo ? inLabelsFolder(path) : !path.equals(namesFilePath());
                if (candidate && !labelsWithImage.contains(path)) {
                    out.problem(path, "label file has no matching image");
                }
            }
            return out.finish(yolo ? "yolo-zip" : "images", description.names(), rules.kptShape());
        }

        private Placement placement(String imagePath, boolean yolo) {
            String[] segments = imagePath.split("/");
            int imagesFolder = yolo ? imagesFolderIndex(imagePath) : -1;
            if (imagesFolder < 0) {
                return new Placement(UploadPaths.withExtension(imagePath, "txt"), defaultSplit);
            }
            String split = null;
            if (imagesFolder + 1 < segments.length - 1) {
                split = UploadPaths.splitOf(segments[imagesFolder + 1]);
            }
            if (split == null && imagesFolder > 0) {
                split = UploadPaths.splitOf(segments[imagesFolder - 1]);
            }
            segments[imagesFolder] = "labels";
            return new Placement(UploadPaths.withExtension(String.join("/", segments), "txt"),
                    split == null ? defaultSplit : split);
        }

        private Optional<List<List<Double>>> readLabels(ZipArchive.Item label, AnnotationRules rules)
                throws IOException {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(archive.open(label), StandardCharsets.UTF_8))) {
                return Optional.of(LabelFileParser.parse(reader, rules));
            } catch (InvalidAnnotationException e) {
                out.problem(label.path(), e.getMessage());
                return Optional.empty();
            } catch (IOException e) {
                throw readFailure(e, label.path());
            }
        }

        /** Class names and keypoint shape from the root YAML, else from a root {@code classes.txt}. */
        private DatasetYaml description() throws IOException {
            Optional<ZipArchive.Item> yaml = rootYaml();
            if (yaml.isPresent()) {
                try (InputStream in = archive.open(yaml.get())) {
                    DatasetYaml parsed = DatasetYaml.parse(in);
                    return task == DatasetTask.POSE ? parsed : new DatasetYaml(parsed.names(), List.of());
                } catch (DatasetYaml.InvalidDescriptionException e) {
                    throw new UploadRejectedException(yaml.get().path() + " is not a valid dataset description: "
                            + e.getMessage(), Map.of("file", yaml.get().path()));
                } catch (IOException e) {
                    throw readFailure(e, yaml.get().path());
                }
            }
            ZipArchive.Item classes = textItems.get("classes.txt");
            if (classes != null) {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(archive.open(classes), StandardCharsets.UTF_8))) {
                    return new DatasetYaml(ClassesFile.read(reader), List.of());
                } catch (IOException e) {
                    throw readFailure(e, classes.path());
                }
            }
            return new DatasetYaml(List.of(), List.of());
        }

        /** {@code data.yaml} at the root, else the first other YAML there. */
        private Optional<ZipArchive.Item> rootYaml() {
            return archive.items().stream()
                    .filter(item -> item.path().indexOf('/') < 0 && UploadPaths.isYaml(item.path()))
                    .min(Comparator.comparing((ZipArchive.Item item) -> !UploadPaths.stem(item.path())
                            .equalsIgnoreCase("data")).thenComparing(ZipArchive.Item::path));
        }

        /** The root text file that names the classes (when no YAML does), so it is no orphan label. */
        private String namesFilePath() {
            return rootYaml().isPresent() ? null : "classes.txt";
        }

        private ScanResult classFolders(List<ZipImage> images) {
            TreeSet<String> names = new TreeSet<>();
            for (ZipArchive.Item item : imageItems) {
                names.add(classFolder(item.path()).orElseThrow().className());
            }
            List<String> classNames = List.copyOf(names);
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < classNames.size(); i++) {
                ids.put(classNames.get(i), i);
            }
            for (ZipImage image : images) {
                ClassFolder folder = classFolder(image.path()).orElseThrow();
                if (out.claimName(image.fileName(), image.path())) {
                    double id = ids.get(folder.className());
                    out.add(scanned(image, folder.split(), List.of(List.of(id))));
                }
            }
            return out.finish("classify-zip", classNames, List.of());
        }

        /** {@code split/class/img}, {@code class/img}, either under an optional {@code images/}. */
        private Optional<ClassFolder> classFolder(String path) {
            List<String> segments = new ArrayList<>(List.of(path.split("/")));
            if (segments.size() > 2 && segments.get(0).equals("images")) {
                segments.remove(0);
            }
            if (segments.size() == 3 && UploadPaths.splitOf(segments.get(0)) != null) {
                return Optional.of(new ClassFolder(segments.get(1), UploadPaths.splitOf(segments.get(0))));
            }
            if (segments.size() == 2 && UploadPaths.splitOf(segments.get(0)) == null
                    && !segments.get(0).equals("images")) {
                return Optional.of(new ClassFolder(segments.get(0), defaultSplit));
            }
            return Optional.empty();
        }

        private List<CocoFile> readCocoFiles() {
            List<CocoFile> files = new ArrayList<>();
            for (ZipArchive.Item item : jsonItems) {
                try (InputStream in = archive.open(item)) {
                    CocoFile.read(in, item.path(), task).ifPresent(files::add);
                } catch (JsonProcessingException e) {
                    if (BoundedInputStream.causedByLimit(e)) {
                        throw readFailure(e, item.path());
                    }
                    out.problem(item.path(), "not valid JSON: " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw readFailure(e, item.path());
                }
            }
            return files;
        }

        private ScannedImage scanned(ZipImage image, String split, List<List<Double>> rows) {
            return new ScannedImage(image.fileName(), split,
                    new ImageSource.ZipEntrySource(zip, image.item().entryName()), rows, image.width(),
                    image.height());
        }
    }

    /** The index of the last {@code images} folder in the path, -1 when there is none. */
    private static int imagesFolderIndex(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 2; i >= 0; i--) {
            if (segments[i].equals("images")) {
                return i;
            }
        }
        return -1;
    }

    private static boolean inLabelsFolder(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].equals("labels")) {
                return true;
            }
        }
        return false;
    }
}
