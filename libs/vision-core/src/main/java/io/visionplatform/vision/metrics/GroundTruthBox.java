package io.visionplatform.vision.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One labelled object: its class and its box corners, in the same pixel space as the predictions it is scored against. */
public record GroundTruthBox(int classId, float x1, float y1, float x2, float y2) {

    public GroundTruthBox {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must be >= 0, got " + classId);
        }
    }

    /**
     * A YOLO label ({@code cx cy w h} normalised to the image) as corners in pixels of an image of
     * {@code imageWidth x imageHeight}: {@code x1 = (cx - w / 2) * imageWidth}, and so on.
     */
    public static GroundTruthBox fromYolo(int classId, double cx, double cy, double w, double h, int imageWidth,
            int imageHeight) {
        return new GroundTruthBox(classId, (float) ((cx - w / 2) * imageWidth), (float) ((cy - h / 2) * imageHeight),
                (float) ((cx + w / 2) * imageWidth), (float) ((cy + h / 2) * imageHeight));
    }

    /**
     * Reads a YOLO detection label file ({@code class cx cy w h} per line, normalised; blank lines ignored) into boxes
     * in pixels of an image of {@code imageWidth x imageHeight}. Extra columns (segment points) are refused.
     */
    public static List<GroundTruthBox> readYolo(Path labelFile, int imageWidth, int imageHeight) throws IOException {
        List<GroundTruthBox> boxes = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(labelFile, StandardCharsets.UTF_8)) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 5) {
                throw new IOException(labelFile + ":" + lineNo + ": expected 'class cx cy w h', got '" + trimmed + "'");
            }
            try {
                boxes.add(fromYolo(Integer.parseInt(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                        Double.parseDouble(parts[3]), Double.parseDouble(parts[4]), imageWidth, imageHeight));
            } catch (IllegalArgumentException e) {
                throw new IOException(labelFile + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return boxes;
    }

    float[] corners() {
        return new float[] { x1, y1, x2, y2 };
    }
}
