package io.visionplatform.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parts of one COCO annotation file the scan converts, read as a stream: only one array element is a tree at a
 * time, and only the fields the task needs are kept, so a large instances file costs a fraction of its size.
 *
 * @param problems records that were unusable, as readable reasons
 */
record CocoFile(String path, List<Category> categories, List<Image> images, List<Annotation> annotations,
        List<String> problems) {

    record Category(long id, String name, int keypointCount) {
    }

    record Image(long id, String fileName, double width, double height) {
    }

    /**
     * @param bbox [x, y, w, h] in pixels, null when absent
     * @param polygons polygon lists of {@code segmentation}, empty when it is RLE or absent
     * @param rle {@code segmentation} is run-length encoded (crowd regions)
     * @param keypoints [x, y, v] per keypoint in pixels, null when absent
     */
    record Annotation(long id, long imageId, long categoryId, boolean crowd, double[] bbox, List<double[]> polygons,
            boolean rle, double[] keypoints) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @return empty when the JSON is not a COCO annotation file (no {@code images} and {@code categories} arrays)
     * @throws IOException unreadable or malformed JSON
     */
    static Optional<CocoFile> read(InputStream in, String path, DatasetTask task) throws IOException {
        List<Category> categories = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        List<Annotation> annotations = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean sawImages = false;
        boolean sawCategories = false;
        try (JsonParser parser = MAPPER.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.START_ARRAY || !List.of("images", "annotations", "categories").contains(field)) {
                    parser.skipChildren();
                    continue;
                }
                sawImages |= field.equals("images");
                sawCategories |= field.equals("categories");
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode node = MAPPER.readTree(parser);
                    switch (field) {
                        case "images" -> image(node, problems).ifPresent(images::add);
                        case "categories" -> category(node, problems).ifPresent(categories::add);
                        default -> annotation(node, task, problems).ifPresent(annotations::add);
                    }
                }
            }
        }
        if (!sawImages || !sawCategories) {
            return Optional.empty();
        }
        return Optional.of(new CocoFile(path, categories, images, annotations, problems));
    }

    private static Optional<Image> image(JsonNode node, List<String> problems) {
        if (!node.path("id").canConvertToLong() || !node.path("file_name").isTextual()) {
            problems.add("an image record lacks a numeric id or a file_name");
            return Optional.empty();
        }
        return Optional.of(new Image(node.get("id").asLong(), node.get("file_name").asText(),
                node.path("width").asDouble(0), node.path("height").asDouble(0)));
    }

    private static Optional<Category> category(JsonNode node, List<String> problems) {
        if (!node.path("id").canConvertToLong() || !node.path("name").isValueNode()) {
            problems.add("a category lacks a numeric id or a name");
            return Optional.empty();
        }
        JsonNode keypoints = node.path("keypoints");
        return Optional.of(new Category(node.get("id").asLong(), node.get("name").asText().strip(),
                keypoints.isArray() ? keypoints.size() : 0));
    }

    private static Optional<Annotation> annotation(JsonNode node, DatasetTask task, List<String> problems) {
        if (!node.path("image_id").canConvertToLong() || !node.path("category_id").canConvertToLong()) {
            problems.add("annotation " + node.path("id").asText("?") + " lacks a numeric image_id or category_id");
            return Optional.empty();
        }
        JsonNode segmentation = node.path("segmentation");
        List<double[]> polygons = new ArrayList<>();
        if (task == DatasetTask.SEGMENT && segmentation.isArray()) {
            for (JsonNode polygon : segmentation) {
                polygons.add(numbers(polygon));
            }
        }
        return Optional.of(new Annotation(node.path("id").asLong(-1), node.get("image_id").asLong(),
                node.get("category_id").asLong(), node.path("iscrowd").asInt(0) == 1, numbers(node.get("bbox")),
                polygons, segmentation.isObject(),
                task == DatasetTask.POSE ? numbers(node.get("keypoints")) : null));
    }

    /** The array's numbers; null when it is absent, not an array, or holds anything else. */
    private static double[] numbers(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                return null;
            }
            values[i] = value.asDouble();
        }
        return values;
    }
}
