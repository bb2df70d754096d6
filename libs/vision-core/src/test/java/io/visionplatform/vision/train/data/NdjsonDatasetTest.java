package io.visionplatform.vision.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** An Ultralytics NDJSON export whose image URLs point at a local HTTP server. */
class NdjsonDatasetTest {

    private static final String HEADER = "{\"type\":\"dataset\",\"task\":\"detect\",\"name\":\"shapes\","
            + "\"class_names\":{\"0\":\"circle\",\"1\":\"square\"},\"version\":1}";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** Paths answered 503 this many more times before they succeed. */
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] body = files.get(path);
        AtomicInteger failures = failuresLeft.get(path);
        int status = body == null ? 404 : failures != null && failures.getAndDecrement() > 0 ? 503 : 200;
        byte[] out = status == 200 ? body : new byte[0];
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves a small PNG at /img/{name} and returns its NDJSON line. */
    private String image(String name, String split, String boxes) throws IOException {
        Path png = dir.resolve("src-" + name);
        SyntheticImages.write(png, 40, 30, List.of(new SyntheticImages.Rect(1, 5, 5, 20, 20)));
        files.put("/img/" + name, Files.readAllBytes(png));
        return "{\"type\":\"image\",\"file\":\"" + name + "\",\"url\":\"" + base() + "/img/" + name
                + "?X-Signature=secret\",\"width\":40,\"height\":30,\"split\":\"" + split + "\","
                + "\"annotations\":{\"boxes\":" + boxes + "}}";
    }

    private String serveNdjson(List<String> lines) {
        files.put("/data.ndjson", String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        return base() + "/data.ndjson";
    }

    @Test
    void downloadsImagesIntoTheCacheAndReusesThem() throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        lines.add(image("a.png", "train", "[[1,0.5,0.5,0.25,0.5],[0,0.2,0.3,0.1,0.1]]"));
        lines.add(image("b.png", "train", "[]"));
        lines.add(image("c.png", "val", "[[0,0.5,0.5,1,1]]"));
        lines.add(image("d.png", "test", "[]"));
        String url = serveNdjson(lines);

        TrainingData data = TrainingData.load(url, dir.resolve("cache"));
        assertThat(data.names()).containsExactly("circle", "square");
        assertThat(data.train()).extracting(Sample::image)
                .containsExactly(dir.resolve("cache/images/train/a.png"), dir.resolve("cache/images/train/b.png"));
        assertThat(data.train().get(0).boxes()).containsExactly(1f, 0.5f, 0.5f, 0.25f, 0.5f, 0f, 0.2f, 0.3f, 0.1f, 0.1f);
        assertThat(data.val()).extracting(Sample::image).containsExactly(dir.resolve("cache/images/val/c.png"));
        assertThat(Files.readAllBytes(dir.resolve("cache/images/train/a.png"))).isEqualTo(files.get("/img/a.png"));
        assertThat(hits).doesNotContainKey("/img/d.png");

        TrainingData again = TrainingData.load(url, dir.resolve("cache"));
        assertThat(again.train()).extracting(Sample::image).isEqualTo(data.train().stream().map(Sample::image).toList());
        assertThat(hits.get("/img/a.png")).as("the second load reuses the downloaded file").hasValue(1);
    }

    @Test
    void oneImageThatCannotBeDownloadedAbortsWithAClearError() throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        lines.add(image("a.png", "train", "[]"));
        lines.add(image("gone.png", "train", "[]"));
        files.remove("/img/gone.png");
        String url = serveNdjson(lines);
        assertThatThrownBy(() -> TrainingData.load(url, dir.resolve("cache"))).isInstanceOf(IOException.class)
                .hasMessageContaining("image 'gone.png'")
                .hasMessageContaining("data.ndjson:3")
                .hasMessageContaining("HTTP 404")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aServerErrorIsRetried() throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        lines.add(image("a.png", "train", "[]"));
        lines.add(image("b.png", "val", "[]"));
        failuresLeft.put("/img/a.png", new AtomicInteger(1));
        TrainingData data = TrainingData.load(serveNdjson(lines), dir.resolve("cache"));
        assertThat(hits.get("/img/a.png")).hasValue(2);
        assertThat(Files.size(data.train().get(0).image())).isPositive();
    }

    @Test
    void withoutValASeededTenPercentOfTrainBecomesVal() throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int i = 0; i < 20; i++) {
            lines.add(image("i" + i + ".png", "train", "[[0,0.5,0.5,0.2,0.2]]"));
        }
        String url = serveNdjson(lines);
        TrainingData data = TrainingData.load(url, dir.resolve("cache"));
        assertThat(data.train()).hasSize(18);
        assertThat(data.val()).hasSize(2);
        assertThat(data.train()).doesNotContainAnyElementsOf(data.val());
        TrainingData again = TrainingData.load(url, dir.resolve("cache"));
        assertThat(again.val()).extracting(Sample::image).isEqualTo(data.val().stream().map(Sample::image).toList());
    }

    @Test
    void brokenLinesAreReportedWithTheirLineNumber() throws IOException {
        Path file = dir.resolve("local.ndjson");
        Files.writeString(file, HEADER + "\n" + image("a.png", "train", "[]") + "\n{\"type\":\"image\",\"file\":\n");
        assertThatThrownBy(() -> TrainingData.load(file.toString(), dir.resolve("cache")))
                .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith(file + ":3:");

        Files.writeString(file, HEADER + "\n" + image("a.png", "train", "[[2,0.5,0.5,0.1,0.1]]") + "\n");
        assertThatThrownBy(() -> TrainingData.load(file.toString(), dir.resolve("cache")))
                .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith(file + ":2:")
                .hasMessageContaining("class 2");

        Files.writeString(file, image("a.png", "train", "[]") + "\n");
        assertThatThrownBy(() -> TrainingData.load(file.toString(), dir.resolve("cache")))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("dataset header");

        Files.writeString(file, HEADER + "\n" + image("a.png", "val", "[]") + "\n");
        assertThatThrownBy(() -> TrainingData.load(file.toString(), dir.resolve("cache")))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("no images in the 'train' split");
    }
}
