package io.visionplatform.dataset.testdata;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Small, deterministic datasets for tests: real JPEG/PNG images of noisy backgrounds with filled shapes, packed as the
 * upload layouts the dataset service accepts, together with the annotations a correct import must produce.
 *
 * <p>
 * Every method taking a {@code target} writes the archive at that path, or, when {@code target} is an existing
 * directory, into a new file inside it (named after the layout and seed). Same arguments, same bytes.
 */
public final class SyntheticDatasets {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private SyntheticDatasets() {
    }

    /**
     * A generated YOLO dataset.
     *
     * @param zip the archive
     * @param labelsByFile image base name ({@code img_0001.jpg}) → its label rows {@code [cls, cx, cy, w, h]}, exactly
     *        the values written to its label file
     * @param splitByFile image base name → {@code train} or {@code val}
     * @param classNames the {@code names} of its {@code data.yaml}
     */
    public record SyntheticDataset(Path zip, Map<String, List<List<Double>>> labelsByFile,
            Map<String, String> splitByFile, List<String> classNames) {
    }

    /**
     * A generated COCO detection dataset.
     *
     * @param zip the archive: {@code annotations/instances_val.json} and {@code images/img_NNNN.jpg}
     * @param rowsByFile image base name → the Ultralytics rows its COCO boxes convert to (crowd boxes excluded);
     *        images without boxes map to an empty list
     * @param classNames category names in ascending category id, the class ids the rows use
     * @param categoryIds the (sparse) COCO category ids, in the same order
     * @param split the split the json file's name implies ({@code val})
     */
    public record SyntheticCoco(Path zip, Map<String, List<List<Double>>> rowsByFile, List<String> classNames,
            List<Long> categoryIds, String split) {
    }

    /** One drawn shape: its class and pixel box. */
    private record Shape(int classId, int x, int y, int width, int height) {
    }

    /** One drawn image: JPEG bytes, size and shapes. */
    private record Scene(byte[] jpeg, int width, int height, List<Shape> shapes) {
    }

    /** {@link #yoloZip(Path, String, List, int, int, long)} without a wrapping folder. */
    public static SyntheticDataset yoloZip(Path target, List<String> classNames, int trainImages, int valImages,
            long seed) {
        return yoloZip(target, null, classNames, trainImages, valImages, seed);
    }

    /**
     * A YOLO detect zip: {@code images/{train,val}/img_NNNN.jpg} (random sizes 96×64 to 160×120, 1–3 shapes each),
     * {@code labels/{train,val}/img_NNNN.txt} with 6-decimal normalised boxes, and {@code data.yaml} with a
     * {@code names:} list.
     *
     * @param rootFolder a folder every entry is wrapped in (as zipping a folder does), or null for none
     */
    public static SyntheticDataset yoloZip(Path target, String rootFolder, List<String> classNames, int trainImages,
            int valImages, long seed) {
        Random random = new Random(seed);
        String prefix = rootFolder == null ? "" : rootFolder + "/";
        Map<String, List<List<Double>>> labels = new LinkedHashMap<>();
        Map<String, String> splits = new LinkedHashMap<>();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(prefix + "data.yaml", dataYaml(classNames).getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= trainImages + valImages; i++) {
            String split = i <= trainImages ? "train" : "val";
            String name = String.format(Locale.ROOT, "img_%04d", i);
            Scene scene = scene(random, classNames.size());
            StringBuilder labelText = new StringBuilder();
            for (Shape shape : scene.shapes()) {
                labelText.append(shape.classId());
                for (double value : normalisedBox(shape, scene.width(), scene.height())) {
                    labelText.append(' ').append(String.format(Locale.ROOT, "%.6f", value));
                }
                labelText.append('\n');
            }
            entries.put(prefix + "images/" + split + "/" + name + ".jpg", scene.jpeg());
            entries.put(prefix + "labels/" + split + "/" + name + ".txt",
                    labelText.toString().getBytes(StandardCharsets.UTF_8));
            labels.put(name + ".jpg", parseRows(labelText.toString()));
            splits.put(name + ".jpg", split);
        }
        Path zip = writeZip(resolve(target, "yolo-" + seed + ".zip"), entries);
        return new SyntheticDataset(zip, Map.copyOf(labels), Map.copyOf(splits), List.copyOf(classNames));
    }

    /**
     * A COCO detection zip with sparse category ids (1, 3, 5, ...), one crowd box per dataset (which a correct
     * import skips), and one image without boxes.
     */
    public static SyntheticCoco cocoZip(Path target, List<String> classNames, int images, long seed) {
        Random random = new Random(seed);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.putObject("info").put("description", "synthetic");
        ArrayNode imageRecords = json.putArray("images");
        ArrayNode annotations = json.putArray("annotations");
        ArrayNode categories = json.putArray("categories");
        List<Long> categoryIds = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            long id = 1 + 2L * c;
            categoryIds.add(id);
            categories.addObject().put("id", id).put("name", classNames.get(c)).put("supercategory", "shape");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, List<List<Double>>> rows = new LinkedHashMap<>();
        long annotationId = 100;
        for (int i = 1; i <= images; i++) {
            String name = String.format(Locale.ROOT, "img_%04d.jpg", i);
            Scene scene = scene(random, classNames.size());
            entries.put("images/" + name, scene.jpeg());
            imageRecords.addObject().put("id", 1000 + i).put("file_name", name).put("width", scene.width())
                    .put("height", scene.height());
            List<List<Double>> expected = new ArrayList<>();
            List<Shape> shapes = i == images ? List.of() : scene.shapes();
            for (int s = 0; s < shapes.size(); s++) {
                Shape shape = shapes.get(s);
                // Half-pixel boxes as COCO exporters write them; exact in binary, so expectations are exact.
                double x = shape.x() + 0.5;
                double y = shape.y() + 0.5;
                double w = shape.width() - 0.5;
                double h = shape.height() - 0.5;
                boolean crowd = i == 1 && s == 0;
                ObjectNode annotation = annotations.addObject().put("id", annotationId++).put("image_id", 1000 + i)
                        .put("category_id", categoryIds.get(shape.classId())).put("iscrowd", crowd ? 1 : 0)
                        .put("area", w * h);
                annotation.putArray("bbox").add(x).add(y).add(w).add(h);
                annotation.putArray("segmentation").addArray().add(x).add(y).add(x + w).add(y).add(x + w)
                        .add(y + h);
                if (!crowd) {
                    expected.add(List.of((double) shape.classId(), (x + w / 2) / scene.width(),
                            (y + h / 2) / scene.height(), w / scene.width(), h / scene.height()));
                }
            }
            rows.put(name, List.copyOf(expected));
        }
        try {
            entries.put("annotations/instances_val.json", mapper.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path zip = writeZip(resolve(target, "coco-" + seed + ".zip"), entries);
        return new SyntheticCoco(zip, Map.copyOf(rows), List.copyOf(classNames), List.copyOf(categoryIds), "val");
    }

    /**
     * A classify zip: {@code train/<class>/img_NNNN.jpg} and {@code val/<class>/img_NNNN.jpg}, image numbers unique
     * over the whole archive.
     */
    public static Path classifyZip(Path target, List<String> classNames, int trainPerClass, int valPerClass,
            long seed) {
        Random random = new Random(seed);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        int number = 1;
        for (String split : List.of("train", "val")) {
            for (String className : classNames) {
                int count = split.equals("train") ? trainPerClass : valPerClass;
                for (int i = 0; i < count; i++) {
                    entries.put(String.format(Locale.ROOT, "%s/%s/img_%04d.jpg", split, className, number++),
                            scene(random, 1).jpeg());
                }
            }
        }
        return writeZip(resolve(target, "classify-" + seed + ".zip"), entries);
    }

    /** A JPEG of the given size: a noisy background with a few shapes. */
    public static byte[] jpeg(int width, int height, long seed) {
        return encode(draw(width, height, new Random(seed), 2, 1).image(), "jpeg");
    }

    /** A PNG of the given size: a noisy background with a few shapes. */
    public static byte[] png(int width, int height, long seed) {
        return encode(draw(width, height, new Random(seed), 2, 1).image(), "png");
    }

    /** Writes {@code entries} (name → bytes, in order) as a deflated zip; names are written as given. */
    public static Path writeZip(Path file, Map<String, byte[]> entries) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String dataYaml(List<String> classNames) {
        StringBuilder yaml = new StringBuilder("path: .\ntrain: images/train\nval: images/val\nnames:\n");
        for (String name : classNames) {
            yaml.append("  - ").append(name).append('\n');
        }
        return yaml.toString();
    }

    private static double[] normalisedBox(Shape shape, int width, int height) {
        return new double[] { (shape.x() + shape.width() / 2.0) / width, (shape.y() + shape.height() / 2.0) / height,
                shape.width() / (double) width, shape.height() / (double) height };
    }

    private static List<List<Double>> parseRows(String labelText) {
        List<List<Double>> rows = new ArrayList<>();
        for (String line : labelText.split("\n")) {
            List<Double> row = new ArrayList<>();
            for (String token : line.trim().split("\\s+")) {
                row.add(Double.parseDouble(token));
            }
            rows.add(List.copyOf(row));
        }
        return List.copyOf(rows);
    }

    private static Scene scene(Random random, int classCount) {
        int width = 96 + random.nextInt(65);
        int height = 64 + random.nextInt(57);
        Drawn drawn = draw(width, height, random, 1 + random.nextInt(3), Math.max(1, classCount));
        return new Scene(encode(drawn.image(), "jpeg"), width, height, drawn.shapes());
    }

    private record Drawn(BufferedImage image, List<Shape> shapes) {
    }

    /** Noise background, then {@code shapeCount} filled shapes; a class's shape kind is its id modulo 3. */
    private static Drawn draw(int width, int height, Random random, int shapeCount, int classCount) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = 96 + random.nextInt(64);
                image.setRGB(x, y, grey << 16 | grey << 8 | grey);
            }
        }
        Graphics2D g = image.createGraphics();
        List<Shape> shapes = new ArrayList<>();
        try {
            for (int s = 0; s < shapeCount; s++) {
                int w = Math.max(4, width / 6 + random.nextInt(Math.max(1, width / 3)));
                int h = Math.max(4, height / 6 + random.nextInt(Math.max(1, height / 3)));
                int x = random.nextInt(Math.max(1, width - w));
                int y = random.nextInt(Math.max(1, height - h));
                int classId = random.nextInt(classCount);
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                switch (classId % 3) {
                    case 0 -> g.fillRect(x, y, w, h);
                    case 1 -> g.fillOval(x, y, w, h);
                    default -> g.fillPolygon(new Polygon(new int[] { x, x + w, x + w / 2 },
                            new int[] { y + h, y + h, y }, 3));
                }
                shapes.add(new Shape(classId, x, y, w, h));
            }
        } finally {
            g.dispose();
        }
        return new Drawn(image, List.copyOf(shapes));
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // An in-memory stream: ImageIO's default for OutputStreams may spill to temp files.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Path resolve(Path target, String defaultName) {
        return Files.isDirectory(target) ? target.resolve(defaultName) : target;
    }
}
