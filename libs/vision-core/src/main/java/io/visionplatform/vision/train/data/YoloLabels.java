package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads YOLO label files: one object per line, {@code cls cx cy w h} normalised to 0..1. A polygon line
 * ({@code cls x1 y1 x2 y2 x3 y3 ...}, a segmentation label) becomes its bounding box, as Ultralytics' detection loader
 * does. Exact duplicate lines are dropped (Ultralytics warns and drops them too).
 */
final class YoloLabels {

    /** Ultralytics tolerates coordinates a hair outside 0..1 from rounding in exported labels. */
    private static final float SLACK = 1e-3f;

    private YoloLabels() {
    }

    /** The label file of an image: the last {@code /images/} folder becomes {@code /labels/}, the suffix {@code .txt}. */
    static Path labelFileFor(Path image) {
        String sep = image.getFileSystem().getSeparator();
        String path = image.toAbsolutePath().toString();
        String marker = sep + "images" + sep;
        int at = path.lastIndexOf(marker);
        if (at >= 0) {
            path = path.substring(0, at) + sep + "labels" + sep + path.substring(at + marker.length());
        }
        int dot = path.lastIndexOf('.');
        if (dot > path.lastIndexOf(sep) + 1) {
            path = path.substring(0, dot);
        }
        return image.getFileSystem().getPath(path + ".txt");
    }

    /** The boxes of {@code labelFile}; a missing file means an image with no objects. */
    static float[] read(Path labelFile, int classCount) throws IOException {
        if (!Files.exists(labelFile)) {
            return new float[0];
        }
        List<String> lines = Files.readAllLines(labelFile, StandardCharsets.UTF_8);
        Set<List<Float>> unique = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                unique.add(parseLine(line, labelFile, i + 1, classCount));
            }
        }
        float[] boxes = new float[unique.size() * Sample.FIELDS_PER_BOX];
        int o = 0;
        for (List<Float> box : unique) {
            for (Float v : box) {
                boxes[o++] = v;
            }
        }
        return boxes;
    }

    private static List<Float> parseLine(String line, Path file, int lineNo, int classCount) {
        String[] fields = line.split("\\s+");
        if (fields.length < 5 || (fields.length > 5 && (fields.length < 7 || fields.length % 2 == 0))) {
            throw DatasetFormatException.at(file, lineNo,
                    "expected 'cls cx cy w h' (or a polygon 'cls x1 y1 x2 y2 x3 y3 ...'), got: " + line);
        }
        float[] v = new float[fields.length];
        for (int k = 0; k < fields.length; k++) {
            try {
                v[k] = Float.parseFloat(fields[k]);
            } catch (NumberFormatException e) {
                throw DatasetFormatException.at(file, lineNo, "not a number: '" + fields[k] + "' in: " + line);
            }
            if (!Float.isFinite(v[k])) {
                throw DatasetFormatException.at(file, lineNo, "not a finite number: '" + fields[k] + "'");
            }
        }
        if (v[0] != Math.rint(v[0]) || v[0] < 0 || v[0] >= classCount) {
            throw DatasetFormatException.at(file, lineNo,
                    "class id " + fields[0] + " is not one of the " + classCount + " classes 0.." + (classCount - 1));
        }
        float[] box = fields.length == 5 ? Arrays.copyOfRange(v, 1, 5) : polygonBox(v);
        for (int k = 0; k < 4; k++) {
            if (box[k] < -SLACK || box[k] > 1 + SLACK) {
                throw DatasetFormatException.at(file, lineNo, "coordinates must be normalised to 0..1, got: " + line);
            }
        }
        if (fields.length == 5 && (box[2] <= 0 || box[3] <= 0)) {
            throw DatasetFormatException.at(file, lineNo, "box width and height must be positive, got: " + line);
        }
        return List.of(v[0], box[0], box[1], box[2], box[3]);
    }

    /** The {@code cx cy w h} box around a polygon's points. */
    private static float[] polygonBox(float[] v) {
        float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (int k = 1; k + 1 < v.length; k += 2) {
            minX = Math.min(minX, v[k]);
            maxX = Math.max(maxX, v[k]);
            minY = Math.min(minY, v[k + 1]);
            maxY = Math.max(maxY, v[k + 1]);
        }
        return new float[] { (minX + maxX) / 2, (minY + maxY) / 2, maxX - minX, maxY - minY };
    }
}
