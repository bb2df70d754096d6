package io.visionplatform.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.dataset.testdata.MalformedUploads;
import io.visionplatform.dataset.testdata.SyntheticDatasets;
import io.visionplatform.dataset.testdata.SyntheticDatasets.SyntheticCoco;
import io.visionplatform.dataset.testdata.SyntheticDatasets.SyntheticDataset;

class UploadScannerTest {

    private static final byte[] JPEG = SyntheticDatasets.jpeg(40, 30, 1);
    private static final byte[] YAML_AB = "names: [a, b]\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final UploadScanner scanner = new UploadScanner(IngestLimits.defaults());

    @Test
    void yoloZipRoundTripsClassesSplitsAndLabels() {
        SyntheticDataset dataset = SyntheticDatasets.yoloZip(dir, List.of("square", "circle", "triangle"), 6, 3, 42);

        ScanResult result = scanAlone(dataset.zip(), DatasetTask.DETECT);

        assertThat(result.format()).isEqualTo("yolo-zip");
        assertThat(result.classNames()).containsExactly("square", "circle", "triangle");
        assertThat(result.problems()).isEmpty();
        assertThat(result.kptShape()).isEmpty();
        Map<String, ScannedImage> images = byFile(result);
        assertThat(images.keySet()).isEqualTo(dataset.labelsByFile().keySet());
        for (ScannedImage image : result.images()) {
            assertThat(image.annotations()).isEqualTo(dataset.labelsByFile().get(image.file()));
            assertThat(image.split()).isEqualTo(dataset.splitByFile().get(image.file()));
            assertThat(image.width()).isBetween(96, 160);
            assertThat(image.height()).isBetween(64, 120);
            assertThat(image.source()).isEqualTo(new ImageSource.ZipEntrySource(dataset.zip(),
                    "images/" + image.split() + "/" + image.file()));
        }
    }

    @Test
    void commonTopFolderIsStripped() {
        SyntheticDataset dataset = SyntheticDatasets.yoloZip(dir, "coco8", List.of("a", "b"), 2, 1, 3);

        ScanResult result = scanAlone(dataset.zip(), DatasetTask.DETECT);

        assertThat(result.format()).isEqualTo("yolo-zip");
        assertThat(result.classNames()).containsExactly("a", "b");
        assertThat(result.images()).hasSize(3);
        assertThat(result.images()).allSatisfy(image -> {
            assertThat(image.annotations()).isEqualTo(dataset.labelsByFile().get(image.file()));
            assertThat(((ImageSource.ZipEntrySource) image.source()).entryName()).startsWith("coco8/images/");
        });
    }

    @Test
    void problemsNameTheArchivePathWithoutTheCommonRoot() {
        Path zip = zip("wrapped.zip", Map.of("root/data.yaml", YAML_AB, "root/images/train/a.jpg", JPEG,
                "root/images/train/b.jpg", jpeg(2), "root/labels/train/b.txt", bytes("5 0.5 0.5 0.1 0.1\n")));

        ScanResult result = scanAlone(zip, DatasetTask.DETECT);

        assertThat(result.images()).extracting(ScannedImage::file).containsExactly("a.jpg");
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("labels/train/b.txt");
            assertThat(problem.reason()).contains("line 1").contains("class 5 is not below nc=2");
        });
    }

    @Test
    void mixedZipKeepsGoodImagesAndReportsTheBadLabel() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.yaml", YAML_AB);
        for (int i = 0; i < 4; i++) {
            entries.put("images/train/ok" + i + ".jpg", jpeg(i));
            entries.put("labels/train/ok" + i + ".txt", bytes("1 0.5 0.5 0.25 0.25\n0 0.1 0.1 0.1 0.1\n"));
        }
        entries.put("images/val/bad.jpg", jpeg(9));
        entries.put("labels/val/bad.txt", bytes("0 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2\n"));

        ScanResult result = scanAlone(zip("mixed.zip", entries), DatasetTask.DETECT);

        assertThat(result.images()).extracting(ScannedImage::file)
                .containsExactly("ok0.jpg", "ok1.jpg", "ok2.jpg", "ok3.jpg");
        assertThat(result.images().get(0).annotations())
                .containsExactly(List.of(1.0, 0.5, 0.5, 0.25, 0.25), List.of(0.0, 0.1, 0.1, 0.1, 0.1));
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("labels/val/bad.txt");
            assertThat(problem.reason()).startsWith("line 2:").contains("4 values");
        });
    }

    @Test
    void mixedUploadOfTheTestDataKeepsItsGoodImages() {
        Path zip = MalformedUploads.mixed(dir.resolve("mixed-upload.zip"));

        ScanResult result = scanAlone(zip, DatasetTask.DETECT);

        assertThat(result.images()).extracting(ScannedImage::file)
                .containsExactly("good1.jpg", "good2.jpg", "good3.jpg", "truncated.jpg");
        assertThat(result.problems()).extracting(FileProblem::file)
                .containsExactlyInAnyOrder("labels/train/bad-class.txt", "images/val/not-really.png");
    }

    @Test
    void yoloWithoutYamlHasNoClassesSoLabelledImagesAreProblemsButBackgroundsStay() {
        Path zip = zip("noyaml.zip", Map.of("images/train/a.jpg", JPEG, "images/train/b.jpg", jpeg(2),
                "labels/train/a.txt", bytes("0 0.5 0.5 0.1 0.1\n"), "labels/train/orphan.txt", bytes("")));

        ScanResult result = scanAlone(zip, DatasetTask.DETECT);

        assertThat(result.classNames()).isEmpty();
        assertThat(result.images()).extracting(ScannedImage::file).containsExactly("b.jpg");
        assertThat(result.images().get(0).annotations()).isEmpty();
        assertThat(result.problems()).extracting(FileProblem::file)
                .containsExactlyInAnyOrder("labels/train/a.txt", "labels/train/orphan.txt");
        assertThat(result.problems()).anySatisfy(p -> assertThat(p.reason()).contains("no matching image"));
    }

    @Test
    void roboflowLayoutSplitFoldersAboveImagesAndNamesAsMap() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.yaml", bytes("names:\n  0: cat\n  '1': dog\n"));
        entries.put("train/images/a.jpg", JPEG);
        entries.put("train/labels/a.txt", bytes("1 0.5 0.5 0.2 0.2\n"));
        entries.put("valid/images/b.jpg", jpeg(2));
        entries.put("valid/labels/b.txt", bytes("0 0.5 0.5 0.2 0.2\n"));
        entries.put("images/c.jpg", jpeg(3));
        entries.put("README.roboflow.txt", bytes("exported\n"));

        ScanResult result = scanAlone(zip("roboflow.zip", entries), DatasetTask.DETECT);

        assertThat(result.classNames()).containsExactly("cat", "dog");
        assertThat(result.problems()).isEmpty();
        assertThat(result.images()).extracting(ScannedImage::file, ScannedImage::split).containsExactly(
                tuple("a.jpg", "train"),
                tuple("b.jpg", "val"),
                tuple("c.jpg", "train"));
    }

    @Test
    void poseUsesKptShapeAndVisibilityIsNoCoordinate() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.yaml", bytes("kpt_shape: [2, 3]\nnames: [person]\n"));
        entries.put("images/train/a.jpg", JPEG);
        entries.put("labels/train/a.txt", bytes("0 0.5 0.5 0.4 0.4 0.4 0.4 2 0 0 0\n"));
        entries.put("images/train/b.jpg", jpeg(2));
        entries.put("labels/train/b.txt", bytes("0 0.5 0.5 0.4 0.4 0.4 0.4 2\n"));

        ScanResult result = scanAlone(zip("pose.zip", entries), DatasetTask.POSE);

        assertThat(result.kptShape()).containsExactly(2, 3);
        assertThat(result.images()).singleElement().satisfies(image -> assertThat(image.annotations())
                .containsExactly(List.of(0.0, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 2.0, 0.0, 0.0, 0.0)));
        assertThat(result.problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("kpt_shape [2, 3] makes a pose row 11 values"));
    }

    @Test
    void segmentAndObbRowsAreChecked() {
        Map<String, byte[]> segment = new LinkedHashMap<>();
        segment.put("data.yaml", YAML_AB);
        segment.put("images/train/a.jpg", JPEG);
        segment.put("labels/train/a.txt", bytes("1 0.1 0.1 0.9 0.1 0.5 1.0000004\n"));
        segment.put("images/train/b.jpg", jpeg(2));
        segment.put("labels/train/b.txt", bytes("1 0.1 0.1 0.9 0.1 0.5 0.9 0.3\n"));

        ScanResult result = scanAlone(zip("segment.zip", segment), DatasetTask.SEGMENT);

        assertThat(result.images()).singleElement().satisfies(image -> assertThat(image.annotations())
                .containsExactly(List.of(1.0, 0.1, 0.1, 0.9, 0.1, 0.5, 1.0)));
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("8 values"));

        Map<String, byte[]> obb = new LinkedHashMap<>(segment);
        obb.put("labels/train/a.txt", bytes("0 0.1 0.1 0.9 0.1 0.9 0.9 0.1 0.9\n"));
        ScanResult obbResult = scanAlone(zip("obb.zip", obb), DatasetTask.OBB);
        assertThat(obbResult.images()).extracting(ScannedImage::file).containsExactly("a.jpg");
    }

    @Test
    void cocoZipConvertsBoxesWithSparseCategoryIds() {
        SyntheticCoco coco = SyntheticDatasets.cocoZip(dir, List.of("square", "circle", "triangle"), 5, 11);

        ScanResult result = scanAlone(coco.zip(), DatasetTask.DETECT);

        assertThat(result.format()).isEqualTo("coco-zip");
        assertThat(result.classNames()).containsExactly("square", "circle", "triangle");
        assertThat(result.problems()).isEmpty();
        assertThat(byFile(result).keySet()).isEqualTo(coco.rowsByFile().keySet());
        for (ScannedImage image : result.images()) {
            assertThat(image.split()).isEqualTo("val");
            List<List<Double>> expected = coco.rowsByFile().get(image.file());
            assertThat(image.annotations()).hasSameSizeAs(expected);
            for (int r = 0; r < expected.size(); r++) {
                for (int v = 0; v < 5; v++) {
                    assertThat(image.annotations().get(r).get(v)).isCloseTo(expected.get(r).get(v), within(1e-12));
                }
            }
        }
        assertThat(byFile(result).get("img_0005.jpg").annotations()).isEmpty();
    }

    @Test
    void cocoSegmentPoseAndMatchingRules() {
        String json = """
                {"images": [{"id": 1, "file_name": "train2017/a.jpg", "width": 40, "height": 30},
                            {"id": 2, "file_name": "missing.jpg", "width": 40, "height": 30},
                            {"id": 3, "file_name": "b.jpg", "width": 40, "height": 30}],
                 "annotations": [
                   {"id": 1, "image_id": 1, "category_id": 5, "bbox": [4, 3, 20, 15], "iscrowd": 0,
                    "segmentation": [[4, 3, 24, 3, 24, 18]], "keypoints": [8, 6, 2, 0, 0, 0]},
                   {"id": 2, "image_id": 1, "category_id": 5, "bbox": [0, 0, 40, 30], "iscrowd": 1,
                    "segmentation": {"counts": [1, 2], "size": [30, 40]}},
                   {"id": 3, "image_id": 3, "category_id": 8, "bbox": [0, 0, 4, 3], "iscrowd": 0,
                    "segmentation": [[0, 0, 4, 0, 4, 3]], "keypoints": [0, 0, 0, 0, 0, 0]}],
                 "categories": [{"id": 5, "name": "person", "keypoints": ["nose", "eye"]}]}
                """;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("images/train2017/a.jpg", JPEG);
        entries.put("images/b.jpg", jpeg(2));
        entries.put("annotations/person_keypoints_train2017.json", bytes(json));
        Path zip = zip("coco.zip", entries);

        ScanResult segment = scanAlone(zip, DatasetTask.SEGMENT);
        assertThat(segment.images()).singleElement().satisfies(image -> {
            assertThat(image.split()).isEqualTo("train");
            assertThat(image.annotations()).containsExactly(List.of(0.0, 0.1, 0.1, 0.6, 0.1, 0.6, 0.6));
        });
        assertThat(segment.problems()).extracting(FileProblem::reason).anySatisfy(
                reason -> assertThat(reason).contains("annotation 2").contains("crowd"))
                .anySatisfy(reason -> assertThat(reason).contains("not a usable image"))
                .anySatisfy(reason -> assertThat(reason).contains("category 8 is not among the categories"));

        ScanResult pose = scanAlone(zip, DatasetTask.POSE);
        assertThat(pose.kptShape()).containsExactly(2, 3);
        assertThat(pose.images()).singleElement().satisfies(image -> assertThat(image.annotations())
                .containsExactly(List.of(0.0, 0.35, 0.35, 0.5, 0.5, 0.2, 0.2, 2.0, 0.0, 0.0, 0.0)));

        assertThatThrownBy(() -> scanAlone(zip, DatasetTask.OBB)).isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("COCO has no oriented boxes");
    }

    @Test
    void classifyFoldersBecomeClasses() {
        Path zip = SyntheticDatasets.classifyZip(dir, List.of("dog", "cat"), 2, 1, 5);

        ScanResult result = scanAlone(zip, DatasetTask.CLASSIFY);

        assertThat(result.format()).isEqualTo("classify-zip");
        assertThat(result.classNames()).containsExactly("cat", "dog");
        assertThat(result.images()).hasSize(6);
        assertThat(result.images()).filteredOn(image -> image.split().equals("val")).hasSize(2);
        ScannedImage first = result.images().get(0);
        assertThat(((ImageSource.ZipEntrySource) first.source()).entryName()).startsWith("train/dog/");
        assertThat(first.annotations()).containsExactly(List.of(1.0));
    }

    @Test
    void classifyFoldersWithoutSplitUseTheDefaultSplit() {
        Path zip = zip("flat.zip", Map.of("animals/cat/a.jpg", JPEG, "animals/dog/b.jpg", jpeg(2),
                "animals/images/dog/c.png", SyntheticDatasets.png(20, 10, 3)));

        ScanResult result = scanner.scan(List.of(new UploadedFile("flat.zip", zip)), DatasetTask.CLASSIFY, "val");

        assertThat(result.format()).isEqualTo("classify-zip");
        assertThat(result.classNames()).containsExactly("cat", "dog");
        assertThat(result.images()).allSatisfy(image -> assertThat(image.split()).isEqualTo("val"));
        assertThat(byFile(result).get("c.png").annotations()).containsExactly(List.of(1.0));
    }

    @Test
    void ndjsonRecordsBecomeRemoteImages() throws IOException {
        String text = """
                {"type":"dataset","task":"detect","name":"x","class_names":{"0":"a","1":"b"}}
                {"type":"image","file":"a.jpg","url":"https://cdn.example.com/a.jpg","width":640,"height":480,"split":"train","annotations":{"boxes":[[1,0.5,0.5,0.2,0.2]]}}

                {"type":"image","url":"http://cdn.example.com/path/b.png","split":"valid"}
                {"type":"image","file":"c.jpg","url":"ftp://cdn.example.com/c.jpg"}
                {"type":"image","file":"d.jpg","url":"https://cdn.example.com/d.jpg","annotations":{"boxes":[[2,0.5,0.5,0.2,0.2]]}}
                {not json
                """;
        Path file = Files.writeString(dir.resolve("data.ndjson"), text);

        ScanResult result = scanAlone(file, DatasetTask.DETECT);

        assertThat(result.format()).isEqualTo("ndjson");
        assertThat(result.classNames()).containsExactly("a", "b");
        assertThat(result.images()).hasSize(2);
        ScannedImage a = result.images().get(0);
        assertThat(a.file()).isEqualTo("a.jpg");
        assertThat(a.source()).isEqualTo(new ImageSource.RemoteUrlSource(
                URI.create("https://cdn.example.com/a.jpg")));
        assertThat(a.annotations()).containsExactly(List.of(1.0, 0.5, 0.5, 0.2, 0.2));
        assertThat(a.width()).isEqualTo(640);
        ScannedImage b = result.images().get(1);
        assertThat(b.file()).isEqualTo("b.png");
        assertThat(b.split()).isEqualTo("val");
        assertThat(b.width()).isZero();
        assertThat(result.problems()).extracting(FileProblem::reason).containsExactly(
                "line 5: url must be an http or https URL",
                "line 6: annotation 1: class 2 is not below nc=2",
                "line 7: not a valid JSON object");
    }

    @Test
    void looseImagesWithLabelsAndClassesFile() throws IOException {
        List<UploadedFile> files = List.of(file("a.jpg", JPEG), file("a.txt", bytes("1 0.5 0.5 0.5 0.5\n")),
                file("b.png", SyntheticDatasets.png(30, 20, 4)), file("classes.txt", bytes("cat\ndog\n")),
                file("c.txt", bytes("0 0.5 0.5 0.5 0.5\n")), file("notes.pdf", bytes("%PDF-1.4")),
                file("d.webp", "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)));

        ScanResult result = scanner.scan(files, DatasetTask.DETECT, "test");

        assertThat(result.format()).isEqualTo("images");
        assertThat(result.classNames()).containsExactly("cat", "dog");
        assertThat(result.images()).extracting(ScannedImage::file).containsExactly("a.jpg", "b.png");
        assertThat(result.images()).allSatisfy(image -> assertThat(image.split()).isEqualTo("test"));
        assertThat(result.images().get(0).annotations()).containsExactly(List.of(1.0, 0.5, 0.5, 0.5, 0.5));
        assertThat(result.images().get(1).width()).isEqualTo(30);
        assertThat(result.images().get(1).source()).isInstanceOf(ImageSource.LocalFileSource.class);
        assertThat(result.problems()).extracting(FileProblem::file, FileProblem::reason).containsExactlyInAnyOrder(
                tuple("notes.pdf", "not an image or label file"),
                tuple("d.webp", "unsupported image format webp"),
                tuple("c.txt", "label file has no matching image"));
    }

    @Test
    void looseImagesInsideAZip() {
        Path zip = zip("loose.zip", Map.of("data.yaml", YAML_AB, "a.jpg", JPEG, "a.txt",
                bytes("1 0.5 0.5 0.5 0.5\n"), "sub/b.jpg", jpeg(2)));

        ScanResult result = scanAlone(zip, DatasetTask.DETECT);

        assertThat(result.format()).isEqualTo("images");
        assertThat(result.images()).hasSize(2);
        assertThat(byFile(result).get("a.jpg").annotations()).containsExactly(List.of(1.0, 0.5, 0.5, 0.5, 0.5));
        assertThat(byFile(result).get("b.jpg").annotations()).isEmpty();
    }

    @Test
    void duplicateNamesOversizedAndUnsupportedImagesAreProblems() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("images/train/a.jpg", JPEG);
        entries.put("images/val/a.jpg", jpeg(2));
        entries.put("images/train/big.jpg", SyntheticDatasets.jpeg(200, 100, 3));
        entries.put("images/train/c.tif", new byte[] { 'I', 'I', '*', 0, 8, 0, 0, 0 });
        entries.put("__MACOSX/images/train/._a.jpg", bytes("resource fork"));
        entries.put("images/train/.DS_Store", bytes("junk"));
        UploadScanner small = new UploadScanner(new IngestLimits(100, 1L << 30, 1L << 20, 100, 10_000, 64));

        ScanResult result = small.scan(List.of(new UploadedFile("d.zip", zip("d.zip", entries))),
                DatasetTask.DETECT, "train");

        assertThat(result.images()).extracting(ScannedImage::file).containsExactly("a.jpg");
        assertThat(result.problems()).extracting(FileProblem::file, FileProblem::reason).containsExactlyInAnyOrder(
                tuple("images/val/a.jpg",
                        "duplicate image name a.jpg (also images/train/a.jpg)"),
                tuple("images/train/big.jpg",
                        "image has 200×100 pixels, more than the limit of 10000"),
                tuple("images/train/c.tif", "unsupported image format tif"));
    }

    @Test
    void entryLimitAndSizeLimitsUseTheConfiguredCaps() {
        Path many = MalformedUploads.tooManyEntries(dir, 30).file();
        UploadScanner small = new UploadScanner(new IngestLimits(20, 1L << 30, 1L << 20, 100, 1L << 30, 64));

        assertThatThrownBy(() -> small.scan(List.of(new UploadedFile("m.zip", many)), DatasetTask.DETECT, "train"))
                .isInstanceOfSatisfying(UploadRejectedException.class, e -> {
                    assertThat(e.getMessage()).contains("too many entries");
                    assertThat(e.details()).containsEntry("limit", 20).containsEntry("actual", 30);
                });
        UploadScanner tinyImages = new UploadScanner(new IngestLimits(100, 1L << 30, 100, 100, 1L << 30, 64));
        Path zip = zip("big.zip", Map.of("a.jpg", JPEG));
        assertThatThrownBy(() -> tinyImages.scan(List.of(new UploadedFile("big.zip", zip)), DatasetTask.DETECT,
                "train")).isInstanceOfSatisfying(UploadRejectedException.class,
                        e -> assertThat(e.details()).containsEntry("entry", "a.jpg"));
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedUploadIsRejected() {
        return MalformedUploads.all(dir).stream().map(upload -> DynamicTest.dynamicTest(upload.name(), () -> {
            UploadedFile file = new UploadedFile(upload.file().getFileName().toString(), upload.file());
            assertThatThrownBy(() -> scanner.scan(List.of(file), DatasetTask.DETECT, "train"))
                    .isInstanceOf(UploadRejectedException.class);
        }));
    }

    @Test
    void rejectionsSayWhy() {
        assertThat(rejection(MalformedUploads.textNamedJpegInZip(dir).file()))
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo("file is not an image"))
                .satisfies(e -> assertThat(e.details()).containsEntry("file", "images/train/fake.jpg"));
        assertThat(rejection(MalformedUploads.exePosingAsJpeg(dir).file()).getMessage())
                .isEqualTo("file is not an image");
        assertThat(rejection(MalformedUploads.parentTraversalEntry(dir).file()))
                .satisfies(e -> assertThat(e.getMessage()).startsWith("unsafe entry name"))
                .satisfies(e -> assertThat(e.details()).containsEntry("entry", "../evil.jpg"));
        assertThat(rejection(MalformedUploads.zipBomb(dir).file()).getMessage()).contains("zip bomb");
        assertThat(rejection(MalformedUploads.truncatedZip(dir).file()).getMessage())
                .isEqualTo("not a readable zip archive");
        assertThat(rejection(MalformedUploads.nestedZip(dir).file()).getMessage()).contains("another archive");
        assertThat(rejection(MalformedUploads.zipWithOnlyDataYaml(dir).file()).getMessage())
                .isEqualTo("archive holds no images");
        assertThat(rejection(MalformedUploads.ndjsonWrongTask(dir).file()).details())
                .containsEntry("expected", "detect").containsEntry("actual", "segment");
        assertThat(rejection(MalformedUploads.yamlWithJavaTag(dir).file()).getMessage())
                .contains("data.yaml is not a valid dataset description");
        UploadRejectedException noImages = rejection(MalformedUploads.pngSignatureThenText(dir).file());
        assertThat(noImages.getMessage()).isEqualTo("the upload holds no usable images");
        assertThat(noImages.details().get("problems")).isEqualTo(List.of(Map.of("file",
                "png-signature-then-text.png", "reason", "undecodable image: its png header cannot be read")));
    }

    @Test
    void uploadShapesThatAreRefused() throws IOException {
        UploadedFile zipA = new UploadedFile("a.zip", SyntheticDatasets.yoloZip(dir.resolve("a.zip"), List.of("x"), 1,
                0, 1).zip());
        UploadedFile image = file("b.jpg", JPEG);
        assertThatThrownBy(() -> scanner.scan(List.of(zipA, image), DatasetTask.DETECT, "train"))
                .hasMessage("send one archive per upload");
        assertThatThrownBy(() -> scanner.scan(List.of(), DatasetTask.DETECT, "train"))
                .isInstanceOf(UploadRejectedException.class);
    }

    @Test
    void scansAThousandImageZipQuickly() {
        byte[] photo = gradientJpeg(640, 480);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.yaml", YAML_AB);
        for (int i = 0; i < 1000; i++) {
            entries.put("images/train/p" + i + ".jpg", photo);
            entries.put("labels/train/p" + i + ".txt", bytes("0 0.5 0.5 0.2 0.2\n1 0.2 0.2 0.1 0.1\n"));
        }
        Path zip = zip("thousand.zip", entries);
        scanAlone(zip, DatasetTask.DETECT);

        long start = System.nanoTime();
        ScanResult result = scanAlone(zip, DatasetTask.DETECT);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.images()).hasSize(1000).allSatisfy(i -> assertThat(i.width()).isEqualTo(640));
        assertThat(millis).as("scan time in ms").isLessThan(2000);
    }

    private UploadRejectedException rejection(Path file) {
        try {
            scanAlone(file, DatasetTask.DETECT);
        } catch (UploadRejectedException e) {
            return e;
        }
        throw new AssertionError(file + " was not rejected");
    }

    private ScanResult scanAlone(Path file, DatasetTask task) {
        return scanner.scan(List.of(new UploadedFile(file.getFileName().toString(), file)), task, "train");
    }

    private static Map<String, ScannedImage> byFile(ScanResult result) {
        return result.images().stream().collect(Collectors.toMap(ScannedImage::file, Function.identity()));
    }

    private Path zip(String name, Map<String, byte[]> entries) {
        return SyntheticDatasets.writeZip(dir.resolve(name), new LinkedHashMap<>(entries));
    }

    private UploadedFile file(String name, byte[] bytes) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("loose"));
        return new UploadedFile(name, Files.write(folder.resolve(name), bytes));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("checkstyle:MethodName")
    /** A smooth photo-sized JPEG (noise would make the archive needlessly large). */
    private static byte[] gradientJpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] jpeg(int seed) {
        return SyntheticDatasets.jpeg(40, 30, seed);
    }
}
