package io.visionplatform.dataset.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns COCO annotation files into Ultralytics rows for the archive's images: categories sorted by id become class
 * ids 0..n-1, pixel boxes, polygons and keypoints are clipped to the image and normalised by its COCO size.
 */
final class CocoConversion {

    /** What the conversion found beside the images it added. */
    record Outcome(List<String> classNames, List<Integer> kptShape) {
    }

    private final List<CocoFile> files;
    private final Path zip;
    private final DatasetTask task;
    private final String defaultSplit;
    private final ScanCollector out;
    private final Map<String, ZipImage> imagesByPath = new HashMap<>();
    private final Map<String, List<ZipImage>> imagesByName = new HashMap<>();
    private final Set<String> listedPaths = new HashSet<>();
    private final Map<Long, Integer> classIds = new HashMap<>();
    private AnnotationRules rules;

    private CocoConversion(List<CocoFile> files, List<ZipImage> images, Path zip, DatasetTask task,
            String defaultSplit, ScanCollector out) {
        this.files = files;
        this.zip = zip;
        this.task = task;
        this.defaultSplit = defaultSplit;
        this.out = out;
        for (ZipImage image : images) {
            imagesByPath.put(image.path(), image);
            imagesByName.computeIfAbsent(image.fileName(), name -> new ArrayList<>()).add(image);
        }
    }

    /** Adds the listed images to {@code out}; refuses tasks COCO cannot express. */
    static Outcome convert(List<CocoFile> files, List<ZipImage> images, Path zip, DatasetTask task,
            String defaultSplit, ScanCollector out) {
        switch (task) {
            case OBB -> throw new UploadRejectedException("COCO has no oriented boxes; upload YOLO OBB labels",
                    Map.of("task", task.wireName()));
            case CLASSIFY -> throw new UploadRejectedException(
                    "COCO annotations hold no image classes; upload class folders", Map.of("task", task.wireName()));
            default -> {
            }
        }
        return new CocoConversion(files, images, zip, task, defaultSplit, out).run(images);
    }

    private Outcome run(List<ZipImage> images) {
        List<String> classNames = classNames();
        List<Integer> kptShape = task == DatasetTask.POSE ? kptShape() : List.of();
        rules = new AnnotationRules(task, classNames.size(), kptShape);
        for (CocoFile file : files) {
            file.problems().forEach(reason -> out.problem(file.path(), reason));
            convertFile(file);
        }
        for (ZipImage image : images) {
            if (!listedPaths.contains(image.path())) {
                out.problem(image.path(), "not listed in any COCO annotation file");
            }
        }
        return new Outcome(classNames, rules.kptShape());
    }

    /** Category names by ascending id over all files; ids may be sparse, files must agree on them. */
    private List<String> classNames() {
        TreeMap<Long, CocoFile.Category> byId = new TreeMap<>();
        for (CocoFile file : files) {
            for (CocoFile.Category category : file.categories()) {
                CocoFile.Category known = byId.putIfAbsent(category.id(), category);
                if (known != null && !known.name().equals(category.name())) {
                    throw new UploadRejectedException("COCO files disagree on a category",
                            Map.of("categoryId", category.id(), "names", List.of(known.name(), category.name())));
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (CocoFile.Category category : byId.values()) {
            classIds.put(category.id(), names.size());
            names.add(category.name());
        }
        return List.copyOf(names);
    }

    /** [k, 3] from the categories' keypoint names, else from the first annotation with keypoints. */
    private List<Integer> kptShape() {
        for (CocoFile file : files) {
            for (CocoFile.Category category : file.categories()) {
                if (category.keypointCount() > 0) {
                    return List.of(category.keypointCount(), 3);
                }
            }
        }
        for (CocoFile file : files) {
            for (CocoFile.Annotation annotation : file.annotations()) {
                if (annotation.keypoints() != null && annotation.keypoints().length >= 3
                        && annotation.keypoints().length % 3 == 0) {
                    return List.of(annotation.keypoints().length / 3, 3);
                }
            }
        }
        return List.of();
    }

    private void convertFile(CocoFile file) {
        Map<Long, List<CocoFile.Annotation>> byImage = new HashMap<>();
        for (CocoFile.Annotation annotation : file.annotations()) {
            byImage.computeIfAbsent(annotation.imageId(), id -> new ArrayList<>()).add(annotation);
        }
        String split = splitOf(file.path());
        for (CocoFile.Image record : file.images()) {
            Optional<ZipImage> image = match(record, file);
            if (image.isEmpty()) {
                continue;
            }
            String path = image.get().path();
            boolean firstListing = listedPaths.add(path);
            if (!firstListing) {
                out.problem(path, "listed twice in the COCO annotation files; " + file.path() + " skipped");
                continue;
            }
            if (!(record.width() > 0 && record.height() > 0)) {
                out.problem(path, file.path() + " gives image " + record.id() + " no positive width and height");
                continue;
            }
            rows(record, byImage.getOrDefault(record.id(), List.of()), path, file).ifPresent(rows -> {
                if (out.claimName(image.get().fileName(), path)) {
                    out.add(new ScannedImage(image.get().fileName(), split,
                            new ImageSource.ZipEntrySource(zip, image.get().item().entryName()), rows,
                            image.get().width(), image.get().height()));
                }
            });
        }
    }

    /** The archive image a COCO {@code file_name} names: by relative path, else by a unique base name. */
    private Optional<ZipImage> match(CocoFile.Image record, CocoFile file) {
        String fileName = UploadPaths.normalise(record.fileName().replace('\\', '/'));
        ZipImage exact = imagesByPath.get(fileName);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<ZipImage> sameName = imagesByName.getOrDefault(UploadPaths.baseName(fileName), List.of());
        List<ZipImage> suffix = sameName.stream().filter(i -> i.path().endsWith("/" + fileName)).toList();
        if (suffix.size() == 1) {
            return Optional.of(suffix.get(0));
        }
        if (sameName.size() == 1) {
            return Optional.of(sameName.get(0));
        }
        out.problem(fileName, sameName.isEmpty()
                ? "named by " + file.path() + " but not a usable image in the archive"
                : "named by " + file.path() + " but " + sameName.size() + " archive images have that name");
        return Optional.empty();
    }

    /** The image's rows; empty (image skipped) when an annotation names an unknown category. */
    private Optional<List<List<Double>>> rows(CocoFile.Image image, List<CocoFile.Annotation> annotations,
            String path, CocoFile file) {
        List<List<Double>> rows = new ArrayList<>();
        for (CocoFile.Annotation annotation : annotations) {
            Integer classId = classIds.get(annotation.categoryId());
            if (classId == null) {
                out.problem(path, file.path() + " annotation " + annotation.id() + ": category "
                        + annotation.categoryId() + " is not among the categories");
                return Optional.empty();
            }
            try {
                for (double[] row : convert(annotation, classId, image.width(), image.height())) {
                    rows.add(rules.check(row));
                }
            } catch (InvalidAnnotationException e) {
                out.problem(path, file.path() + " annotation " + annotation.id() + " skipped: " + e.getMessage());
            }
        }
        return Optional.of(List.copyOf(rows));
    }

    /** Zero or more rows for one annotation; crowd regions are skipped as Ultralytics' converter does. */
    private List<double[]> convert(CocoFile.Annotation annotation, int classId, double width, double height)
            throws InvalidAnnotationException {
        if (task == DatasetTask.SEGMENT) {
            if (annotation.crowd() || annotation.rle()) {
                throw new InvalidAnnotationException("crowd regions (RLE masks) have no polygon");
            }
            List<double[]> rows = new ArrayList<>();
            for (double[] polygon : annotation.polygons()) {
                rows.add(polygonRow(polygon, classId, width, height));
            }
            if (rows.isEmpty()) {
                throw new InvalidAnnotationException("it has no polygon segmentation");
            }
            return rows;
        }
        if (annotation.crowd()) {
            return List.of();
        }
        double[] box = boxRow(annotation.bbox(), classId, width, height);
        if (task == DatasetTask.DETECT) {
            return List.of(box);
        }
        return List.of(poseRow(box, annotation.keypoints(), width, height));
    }

    private static double[] boxRow(double[] bbox, int classId, double width, double height)
            throws InvalidAnnotationException {
        if (bbox == null || bbox.length != 4) {
            throw new InvalidAnnotationException("bbox is not [x, y, w, h]");
        }
        double x1 = clip(bbox[0], width);
        double y1 = clip(bbox[1], height);
        double x2 = clip(bbox[0] + bbox[2], width);
        double y2 = clip(bbox[1] + bbox[3], height);
        double w = x2 - x1;
        double h = y2 - y1;
        if (!(w > 0 && h > 0)) {
            throw new InvalidAnnotationException("bbox has no area inside the image");
        }
        return new double[] { classId, (x1 + w / 2) / width, (y1 + h / 2) / height, w / width, h / height };
    }

    private static double[] polygonRow(double[] polygon, int classId, double width, double height)
            throws InvalidAnnotationException {
        if (polygon == null || polygon.length < 6 || polygon.length % 2 != 0) {
            throw new InvalidAnnotationException("a polygon is not at least 3 x y points");
        }
        double[] row = new double[polygon.length + 1];
        row[0] = classId;
        for (int i = 0; i < polygon.length; i++) {
            double extent = i % 2 == 0 ? width : height;
            row[i + 1] = clip(polygon[i], extent) / extent;
        }
        return row;
    }

    private static double[] poseRow(double[] box, double[] keypoints, double width, double height)
            throws InvalidAnnotationException {
        if (keypoints == null || keypoints.length % 3 != 0) {
            throw new InvalidAnnotationException("keypoints are not [x, y, v] triples");
        }
        double[] row = new double[box.length + keypoints.length];
        System.arraycopy(box, 0, row, 0, box.length);
        for (int i = 0; i < keypoints.length; i += 3) {
            row[box.length + i] = clip(keypoints[i], width) / width;
            row[box.length + i + 1] = clip(keypoints[i + 1], height) / height;
            row[box.length + i + 2] = keypoints[i + 2];
        }
        return row;
    }

    private static double clip(double value, double extent) {
        return Math.min(extent, Math.max(0, value));
    }

    /** {@code instances_val2017.json} → val; a name without a split word → the default split. */
    private String splitOf(String jsonPath) {
        String name = UploadPaths.baseName(jsonPath).toLowerCase(Locale.ROOT);
        if (name.contains("train")) {
            return "train";
        }
        if (name.contains("val")) {
            return "val";
        }
        if (name.contains("test")) {
            return "test";
        }
        return defaultSplit;
    }
}
