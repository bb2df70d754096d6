package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads an Ultralytics YOLO dataset from its {@code data.yaml} (or the folder holding it): {@code path} (optional, the
 * dataset root; the YAML's folder when absent or relative to it), {@code train} and {@code val} (image folders, image
 * list {@code .txt} files, or lists of either, relative to the root), and {@code names} (a list, or a map from class
 * id) or {@code nc}. Labels come from the parallel {@code labels/} folder, as Ultralytics finds them.
 */
final class YoloFolderDataset {

    /** The suffixes of Ultralytics' {@code IMG_FORMATS} that {@code javax.imageio} can decode. */
    static final Set<String> IMAGE_SUFFIXES = Set.of("bmp", "jpeg", "jpg", "png", "gif", "wbmp");

    private YoloFolderDataset() {
    }

    static TrainingData load(Path yamlOrFolder) throws IOException {
        Path yaml = Files.isDirectory(yamlOrFolder) ? findYaml(yamlOrFolder) : yamlOrFolder;
        Map<String, Object> doc = FlatYaml.read(yaml);
        Path yamlDir = yaml.toAbsolutePath().getParent();
        Path root = yamlDir;
        Object path = doc.get("path");
        if (path instanceof String p && !p.isBlank()) {
            root = yamlDir.resolve(p).normalize();
        }
        List<String> names = names(doc, yaml);
        List<Sample> train = split(doc, "train", root, yaml, names.size());
        List<Sample> val = split(doc, "val", root, yaml, names.size());
        return new TrainingData(names, train, val);
    }

    private static Path findYaml(Path folder) throws IOException {
        for (String name : List.of("data.yaml", "data.yml")) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return folder.resolve(name);
            }
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> yamls = files.filter(f -> f.getFileName().toString().matches("(?i).*\\.ya?ml")).toList();
            if (yamls.size() == 1) {
                return yamls.get(0);
            }
        }
        throw new DatasetFormatException("no data.yaml in the dataset folder " + folder);
    }

    private static List<String> names(Map<String, Object> doc, Path yaml) {
        Object names = doc.get("names");
        if (names instanceof List<?> list) {
            if (list.isEmpty()) {
                throw new DatasetFormatException(yaml + ": 'names' is empty");
            }
            return list.stream().map(String::valueOf).toList();
        }
        if (names instanceof Map<?, ?> map) {
            TreeMap<Integer, String> byId = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                try {
                    byId.put(Integer.parseInt(String.valueOf(e.getKey())), String.valueOf(e.getValue()));
                } catch (NumberFormatException ex) {
                    throw new DatasetFormatException(yaml + ": class id '" + e.getKey() + "' in 'names' is not an integer");
                }
            }
            if (byId.isEmpty() || byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1) {
                throw new DatasetFormatException(yaml + ": 'names' must number the classes 0..n-1, got " + byId.keySet());
            }
            return List.copyOf(byId.values());
        }
        if (names == null && doc.get("nc") instanceof String nc) {
            // Ultralytics names unnamed classes class_0, class_1, ...
            int count;
            try {
                count = Integer.parseInt(nc.strip());
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(yaml + ": 'nc' is not an integer: " + nc);
            }
            List<String> generated = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                generated.add("class_" + i);
            }
            return generated;
        }
        throw new DatasetFormatException(yaml + ": 'names' (a list or a map of class id to name) is required");
    }

    private static List<Sample> split(Map<String, Object> doc, String key, Path root, Path yaml, int classCount)
            throws IOException {
        Object value = doc.get(key);
        List<String> entries;
        if (value instanceof String s && !s.isBlank()) {
            entries = List.of(s);
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            entries = list.stream().map(String::valueOf).toList();
        } else {
            throw new DatasetFormatException(yaml + ": '" + key + "' (an image folder or list file) is required");
        }
        List<Path> images = new ArrayList<>();
        for (String entry : entries) {
            images.addAll(imagesOf(root.resolve(entry).normalize(), yaml, key));
        }
        if (images.isEmpty()) {
            throw new DatasetFormatException(yaml + ": no " + key + " images in " + entries);
        }
        List<Sample> samples = new ArrayList<>(images.size());
        for (Path image : images) {
            samples.add(new Sample(image, YoloLabels.read(YoloLabels.labelFileFor(image), classCount)));
        }
        return samples;
    }

    /** The images of a folder (recursively, sorted by path like Ultralytics) or listed in a {@code .txt} file. */
    private static List<Path> imagesOf(Path location, Path yaml, String key) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                return files.filter(Files::isRegularFile)
                        .filter(YoloFolderDataset::isImage)
                        .sorted(Comparator.comparing(Path::toString))
                        .toList();
            }
        }
        if (Files.isRegularFile(location) && location.toString().endsWith(".txt")) {
            List<Path> listed = new ArrayList<>();
            List<String> lines = Files.readAllLines(location, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                Path image = location.getParent().resolve(line).normalize();
                if (!Files.isRegularFile(image)) {
                    throw DatasetFormatException.at(location, i + 1, "image not found: " + image);
                }
                listed.add(image);
            }
            return listed;
        }
        throw new DatasetFormatException(yaml + ": '" + key + "' location does not exist: " + location);
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
