package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxedImage;
import io.visionplatform.vision.metadata.ModelMetadata;

/**
 * The TorchScript path against the fixture made by {@code src/test/resources/torchscript/make_fixture.py} (torch 1.13):
 * a tiny seeded model with an Ultralytics-layout output {@code [1, 8, 36]} and Ultralytics' {@code config.txt}.
 */
class TorchScriptDetectorTest {

    private static final String IMAGE = "predict_02_192x192.jpg";
    private static final double RAW_TOLERANCE = 1e-4;

    private static Path model;
    private static TorchScriptDetector detector;

    @BeforeAll
    static void load() throws URISyntaxException {
        model = resource("tiny-detect.torchscript");
        long start = System.nanoTime();
        TorchScriptDetector.engine();
        long engine = System.nanoTime();
        detector = TorchScriptDetector.load(model);
        long loaded = System.nanoTime();
        System.out.printf("[vision-core] TorchScript: PyTorch engine start %.0f ms, first model load %.1f ms (%s)%n",
                (engine - start) / 1e6, (loaded - engine) / 1e6, detector.device());
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchScriptDetectorTest.class.getResource("/torchscript/" + name).toURI());
    }

    @Test
    void readsUltralyticsMetadataFromConfigTxt() {
        ModelMetadata meta = detector.metadata();
        assertThat(meta.task()).isEqualTo("detect");
        assertThat(meta.names()).containsExactly("circle", "square", "triangle", "cross");
        assertThat(meta.imgsz()).containsExactly(192, 192);
        assertThat(meta.stride()).isEqualTo(32);
        assertThat(meta.batch()).isEqualTo(1);
        assertThat(meta.channels()).isEqualTo(3);
        assertThat(meta.end2end()).isFalse();
        assertThat(meta.args()).containsEntry("half", false).containsEntry("batch", 1L);
        assertThat(meta.date()).isEqualTo("2025-01-01T00:00:00");
        assertThat(meta.raw()).containsEntry("docs", "https://docs.ultralytics.com")
                .containsEntry("imgsz", "[192, 192]");
        assertThat(detector.letterbox().isMinimal()).isFalse();
        assertThat(detector.letterbox().targetHeight()).isEqualTo(192);
        assertThat(detector.letterbox().targetWidth()).isEqualTo(192);
        assertThat(detector).isInstanceOf(Detector.class);
        // set by the pom for surefire, and by TorchScriptDetector itself when absent: natives never download
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void rawOutputOnTheFormulaTensorEqualsTorch() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(resource("expected.json").toFile());
        int h = 192;
        int w = 192;
        assertThat(expected.get("input").get("shape").toString()).isEqualTo("[1,3,192,192]");
        float[] input = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    input[(c * h + y) * w + x] = ((c * 7 + y * 13 + x * 17) % 255) / 255f;
                }
            }
        }
        RawOutput out = detector.forward(input, h, w);

        long[] shape = new long[expected.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = expected.get("shape").get(i).asLong();
        }
        assertThat(out.shape()).containsExactly(shape);
        assertThat(out.shape()).containsExactly(1, 8, 36);
        JsonNode values = expected.get("output");
        assertThat(out.data()).hasSize(values.size());
        double maxDiff = 0;
        for (int i = 0; i < values.size(); i++) {
            double diff = Math.abs(out.data()[i] - values.get(i).asDouble());
            assertThat(diff).as("output[%d]", i).isLessThanOrEqualTo(RAW_TOLERANCE);
            maxDiff = Math.max(maxDiff, diff);
        }
        System.out.printf("[vision-core] TorchScript raw output vs torch 1.13: %d values, max |diff| %.2e%n",
                values.size(), maxDiff);
    }

    @Test
    void predictLetterboxesDecodesAndScalesLikeTheOnnxPath() throws IOException {
        BgrImage image = ImageDecoder.read(Fixtures.image(IMAGE));
        List<Detection> found = detector.predict(image);

        assertThat(found).isNotEmpty().hasSizeLessThanOrEqualTo(20);
        assertInside(found, image);
        assertThat(found).extracting(Detection::className).contains("cross", "circle");
        assertThat(found).isEqualTo(reference(image, Detector.DEFAULT_CONF, Detector.DEFAULT_IOU,
                Detector.DEFAULT_MAX_DET));
        assertThat(detector.predict(image, 0.5, 0.7, 1)).isEqualTo(reference(image, 0.5, 0.7, 1));

        // A non-square image gets the full square letterbox (scaled, padded with 114) and boxes come back scaled.
        for (String name : List.of("predict_00_320x120.jpg", "predict_01_120x300.jpg", "predict_06_224x168.png")) {
            BgrImage other = ImageDecoder.read(Fixtures.image(name));
            List<Detection> detections = detector.predict(other, 0.05, 0.7, 300);
            assertThat(detections).as(name).isEqualTo(reference(other, 0.05, 0.7, 300));
            assertInside(detections, other);
        }
        long start = System.nanoTime();
        int runs = 50;
        for (int i = 0; i < runs; i++) {
            detector.predict(image);
        }
        System.out.printf("[vision-core] TorchScript predict on %s: %.2f ms per image (mean of %d, warm), %d detections%n",
                IMAGE, (System.nanoTime() - start) / 1e6 / runs, runs, found.size());
    }

    /** What OnnxDetector does, spelled out: full letterbox to imgsz, forward, YoloDecoder, BoxScaling. */
    private static List<Detection> reference(BgrImage image, double conf, double iou, int maxDet) {
        LetterboxedImage boxed = Letterbox.full(192, 192).apply(image);
        RawOutput raw = detector.forward(boxed.toTensor(), 192, 192);
        List<ScoredBox> boxes = YoloDecoder.decode(raw, false, conf, iou, maxDet);
        return BoxScaling.toOriginal(boxes, boxed.info(), detector.metadata()::className);
    }

    private static void assertInside(List<Detection> found, BgrImage image) {
        for (Detection d : found) {
            assertThat(d.x1()).isBetween(0f, d.x2());
            assertThat(d.y1()).isBetween(0f, d.y2());
            assertThat(d.x2()).isLessThanOrEqualTo(image.width());
            assertThat(d.y2()).isLessThanOrEqualTo(image.height());
            assertThat(d.confidence()).isGreaterThan(0f).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void servesConcurrentCallsFromFourThreadsWithIdenticalResults() throws Exception {
        List<BgrImage> images = new ArrayList<>();
        for (String name : List.of(IMAGE, "predict_00_320x120.jpg", "predict_05_300x200_gray.jpg",
                "predict_10_288x256.jpg")) {
            images.add(ImageDecoder.read(Fixtures.image(name)));
        }
        List<List<Detection>> sequential = new ArrayList<>();
        for (BgrImage image : images) {
            sequential.add(detector.predict(image, 0.05, 0.7, 300));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Detection>>> futures = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (BgrImage image : images) {
                    Callable<List<Detection>> call = () -> {
                        start.await();
                        return detector.predict(image, 0.05, 0.7, 300);
                    };
                    futures.add(pool.submit(call));
                }
            }
            start.countDown();
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % images.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadsAgainWithOptionsAndGivesTheSameDetections() throws IOException {
        BgrImage image = ImageDecoder.read(Fixtures.image(IMAGE));
        long start = System.nanoTime();
        try (Detector again = TorchScriptDetector.load(model, new DetectorOptions(2))) {
            System.out.printf("[vision-core] TorchScript: later model load %.1f ms%n", (System.nanoTime() - start) / 1e6);
            assertThat(again.metadata()).isEqualTo(detector.metadata());
            assertThat(again.predict(image)).isEqualTo(detector.predict(image));
        }
    }

    @Test
    void validatesArgumentsAndRefusesUseAfterClose() throws IOException {
        BgrImage image = ImageDecoder.read(Fixtures.image(IMAGE));
        TorchScriptDetector own = TorchScriptDetector.load(model);
        assertThatThrownBy(() -> own.predict(image, 1.5, 0.7, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> own.predict(image, 0.25, -0.1, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> own.predict(image, 0.25, 0.7, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> own.forward(new float[10], 192, 192)).isInstanceOf(IllegalArgumentException.class);
        assertThat(own.predict(image, 0.25, 0.7, 0)).isEmpty();
        own.close();
        own.close();
        assertThatThrownBy(() -> own.predict(image)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWrongInputSizeIsAnInferenceException() {
        // Traced at 192x192: the flatten/add against the 36 cell centres fails at 96x96.
        assertThatThrownBy(() -> detector.forward(new float[3 * 96 * 96], 96, 96))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("TorchScript inference failed");
    }

    @Test
    void refusesFilesThatAreNotTorchScript(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(model);

        Path truncated = Files.write(dir.resolve("truncated.torchscript"), Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> TorchScriptDetector.load(truncated)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("truncated.torchscript");

        Path tail = Files.write(dir.resolve("tail.torchscript"), Arrays.copyOfRange(good, 100, good.length));
        assertThatThrownBy(() -> TorchScriptDetector.load(tail)).isInstanceOf(ModelLoadException.class);

        byte[] flipped = good.clone();
        for (int i = good.length - 200; i < good.length; i++) {
            flipped[i] ^= (byte) 0x5a; // the zip's central directory
        }
        Path corrupt = Files.write(dir.resolve("corrupt.torchscript"), flipped);
        assertThatThrownBy(() -> TorchScriptDetector.load(corrupt)).isInstanceOf(ModelLoadException.class);

        Path text = Files.writeString(dir.resolve("notes.torchscript"), "this is not a zip archive\n".repeat(100));
        assertThatThrownBy(() -> TorchScriptDetector.load(text)).isInstanceOf(ModelLoadException.class);

        Path empty = Files.write(dir.resolve("empty.torchscript"), new byte[0]);
        assertThatThrownBy(() -> TorchScriptDetector.load(empty)).isInstanceOf(ModelLoadException.class);

        Path otherZip = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            zip.putNextEntry(new ZipEntry("hello.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> TorchScriptDetector.load(otherZip)).isInstanceOf(ModelLoadException.class);

        assertThatThrownBy(() -> TorchScriptDetector.load(dir.resolve("missing.torchscript")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("missing.torchscript");
        assertThatThrownBy(() -> TorchScriptDetector.load(dir)).isInstanceOf(ModelLoadException.class);
    }

    @Test
    void checksTheMetadataInConfigTxt(@TempDir Path dir) throws Exception {
        Path segment = withConfig(dir, "segment.torchscript", c -> c.replace("\"task\": \"detect\"", "\"task\": \"segment\""));
        assertThatThrownBy(() -> TorchScriptDetector.load(segment)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("only detection models");

        Path malformed = withConfig(dir, "malformed.torchscript", c -> c.replace("\"names\": {", "\"names\": {'x': 1, "));
        assertThatThrownBy(() -> TorchScriptDetector.load(malformed)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("config.txt");

        Path wrongClasses = withConfig(dir, "classes.torchscript", c -> c.replace(", \"3\": \"cross\"", ""));
        assertThatThrownBy(() -> TorchScriptDetector.load(wrongClasses)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("8 rows per anchor");

        Path wrongSize = withConfig(dir, "size.torchscript", c -> c.replace("\"imgsz\": [192, 192]", "\"imgsz\": [96, 96]"));
        assertThatThrownBy(() -> TorchScriptDetector.load(wrongSize)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("[1, 3, 96, 96]");

        // Without config.txt Ultralytics' defaults apply (640x640), which this 192x192 trace refuses at load time.
        Path none = withConfig(dir, "none.torchscript", null);
        assertThatThrownBy(() -> TorchScriptDetector.load(none)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("[1, 3, 640, 640]");

        // The same archive rewritten with an unchanged config loads: the rewriting itself is sound.
        Path same = withConfig(dir, "same.torchscript", UnaryOperator.identity());
        try (TorchScriptDetector copy = TorchScriptDetector.load(same)) {
            assertThat(copy.metadata()).isEqualTo(detector.metadata());
        }
    }

    /** A copy of the fixture with its {@code extra/config.txt} edited, or dropped when {@code edit} is null. */
    private static Path withConfig(Path dir, String name, UnaryOperator<String> edit) throws IOException {
        Path out = dir.resolve(name);
        // ZipFile, not ZipInputStream: PyTorch stores its entries uncompressed with data descriptors, which
        // ZipInputStream refuses.
        try (ZipFile in = new ZipFile(model.toFile());
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] data;
                try (InputStream stream = in.getInputStream(entry)) {
                    data = stream.readAllBytes();
                }
                if (entry.getName().endsWith("/extra/config.txt")) {
                    if (edit == null) {
                        continue;
                    }
                    data = edit.apply(new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                copy.setCrc(crc.getValue());
                zip.putNextEntry(copy);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out;
    }

}
