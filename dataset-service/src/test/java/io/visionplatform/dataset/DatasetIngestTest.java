package io.visionplatform.dataset;

import static io.visionplatform.dataset.Callers.as;
import static io.visionplatform.dataset.Callers.createDataset;
import static io.visionplatform.dataset.Callers.ingest;
import static io.visionplatform.dataset.Callers.newCaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.restassured.path.json.JsonPath;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.dataset.testdata.NdjsonLabels;
import io.visionplatform.dataset.testdata.SyntheticDatasets;
import io.visionplatform.dataset.testdata.SyntheticDatasets.SyntheticCoco;
import io.visionplatform.dataset.testdata.SyntheticDatasets.SyntheticDataset;

/**
 * Upload → ingest → export → download without auth, against the real PostgreSQL, Kafka and S3 store: the labels
 * that come back out of the NDJSON are exactly the labels that went in.
 */
@QuarkusTest
class DatasetIngestTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static SyntheticDataset shapes;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    StorageClient storage;

    @BeforeAll
    static void generate() throws IOException {
        shapes = SyntheticDatasets.yoloZip(work.resolve("shapes.zip"), List.of("circle", "square"), 12, 4, 7L);
    }

    @Test
    void yoloZipRoundTripsThroughTheNdjsonExport() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Shapes", "detect");

        JsonPath job = ingest(caller, id, shapes.zip());
        assertThat(job.getString("data.state")).isEqualTo("succeeded");
        assertThat(job.getString("data.format")).isEqualTo("yolo-zip");
        assertThat(job.getInt("data.added")).isEqualTo(16);
        assertThat(job.getInt("data.failed")).isZero();

        as(caller).get("/api/datasets/{id}", id)
                .then()
                .statusCode(200)
                .body("data.status", equalTo("ready"))
                .body("data.imageCount", equalTo(16))
                .body("data.classCount", equalTo(2))
                .body("data.classNames", equalTo(List.of("circle", "square")))
                .body("data.splits.train", equalTo(12))
                .body("data.splits.val", equalTo(4))
                .body("data.annotationCount", equalTo(shapes.labelsByFile().values().stream().mapToInt(List::size).sum()))
                .body("data.totalBytes", greaterThan(0));

        String url = as(caller).post("/api/datasets/{id}/export", id)
                .then()
                .statusCode(200)
                .body("data.version", equalTo(1))
                .body("data.fileName", endsWith(".ndjson"))
                .body("data.expiresAt", notNullValue())
                .extract()
                .path("data.url");

        List<JsonNode> lines = downloadNdjson(url);
        JsonNode header = lines.get(0);
        assertThat(header.get("type").asText()).isEqualTo("dataset");
        assertThat(header.get("task").asText()).isEqualTo("detect");
        assertThat(header.get("class_names").get("0").asText()).isEqualTo("circle");
        assertThat(header.get("class_names").get("1").asText()).isEqualTo("square");
        assertThat(lines).hasSize(17);

        for (JsonNode image : lines.subList(1, lines.size())) {
            assertThat(image.get("type").asText()).isEqualTo("image");
            String file = image.get("file").asText();
            assertThat(image.get("split").asText()).isEqualTo(shapes.splitByFile().get(file));
            byte[] bytes = fetch(image.get("url").asText());
            var decoded = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(decoded.getWidth()).isEqualTo(image.get("width").asInt());
            assertThat(decoded.getHeight()).isEqualTo(image.get("height").asInt());
        }
        assertThat(NdjsonLabels.boxesByFile(lines)).isEqualTo(shapes.labelsByFile());
    }

    @Test
    void anExportedNdjsonFileImportsIntoAnotherDataset() throws Exception {
        Header caller = newCaller();
        String source = createDataset(caller, "Source", "detect");
        ingest(caller, source, shapes.zip());
        String url = as(caller).post("/api/datasets/{id}/export", source).then().extract().path("data.url");
        Path ndjson = work.resolve("source-" + source + ".ndjson");
        Files.write(ndjson, fetch(url));

        String copy = createDataset(caller, "Copy", "detect");
        JsonPath job = ingest(caller, copy, ndjson);

        assertThat(job.getString("data.format")).isEqualTo("ndjson");
        assertThat(job.getInt("data.added")).isEqualTo(16);
        String copyUrl = as(caller).post("/api/datasets/{id}/export", copy).then().extract().path("data.url");
        assertThat(NdjsonLabels.boxesByFile(downloadNdjson(copyUrl))).isEqualTo(shapes.labelsByFile());
    }

    @Test
    void aCocoZipBecomesNormalisedBoxes() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Coco", "detect");
        SyntheticCoco coco = SyntheticDatasets.cocoZip(work.resolve("coco.zip"), List.of("cat", "dog", "bird"), 6, 9L);

        JsonPath job = ingest(caller, id, coco.zip());

        assertThat(job.getString("data.format")).isEqualTo("coco-zip");
        assertThat(job.getInt("data.added")).isEqualTo(6);
        as(caller).get("/api/datasets/{id}", id)
                .then()
                .body("data.classNames", equalTo(coco.classNames()))
                .body("data.splits." + coco.split(), equalTo(6));
        String url = as(caller).post("/api/datasets/{id}/export", id).then().extract().path("data.url");
        Map<String, List<List<Double>>> exported = NdjsonLabels.boxesByFile(downloadNdjson(url));
        assertThat(exported.keySet()).isEqualTo(coco.rowsByFile().keySet());
        exported.forEach((file, rows) -> assertThat(rounded(rows)).as(file).isEqualTo(rounded(coco.rowsByFile().get(file))));
    }

    @Test
    void classifyFoldersBecomeClasses() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Pets", "classify");
        Path zip = SyntheticDatasets.classifyZip(work.resolve("pets.zip"), List.of("cat", "dog"), 3, 1, 5L);

        JsonPath job = ingest(caller, id, zip);

        assertThat(job.getString("data.format")).isEqualTo("classify-zip");
        assertThat(job.getInt("data.added")).isEqualTo(8);
        String url = as(caller).post("/api/datasets/{id}/export", id).then().extract().path("data.url");
        List<JsonNode> lines = downloadNdjson(url);
        assertThat(lines.get(0).get("class_names").get("1").asText()).isEqualTo("dog");
        for (JsonNode image : lines.subList(1, lines.size())) {
            JsonNode classes = image.get("annotations").get("classification");
            assertThat(classes).hasSize(1);
            assertThat(classes.get(0).isInt()).isTrue();
        }
    }

    private static List<List<Double>> rounded(List<List<Double>> rows) {
        return rows.stream()
                .map(row -> row.stream()
                        .map(value -> Math.round(value * 1e6) / 1e6)
                        .toList())
                .toList();
    }

    /**
     * A replica that dies mid-job leaves it "running" with a lease that lapses; another replica resumes it from the
     * staged upload and neither loses nor double-counts an image.
     */
    @Test
    void aJobWhoseReplicaDiedIsResumedWithoutCountingTwice() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Resumed", "detect");
        String jobId = ingest(caller, id, shapes.zip()).getString("data.id");

        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            String files;
            try (PreparedStatement query = connection.prepareStatement("select files from ingest_job where id = ?")) {
                query.setString(1, jobId);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    files = row.getString(1);
                }
            }
            // The staged copy was removed when the job finished; a job still running would still have it.
            String stagedKey = JSON.readTree(files).get(0).get("key").asText();
            storage.put(stagedKey, shapes.zip(), "application/zip").await().indefinitely();
            try (PreparedStatement crash = connection.prepareStatement("""
                    update ingest_job set state = 'running', lease_until = now() - interval '1 minute',
                           finished_at = null where id = ?""")) {
                crash.setString(1, jobId);
                assertThat(crash.executeUpdate()).isEqualTo(1);
            }
        }

        JsonPath resumed = Callers.awaitJob(caller, id, jobId);

        assertThat(resumed.getString("data.state")).isEqualTo("succeeded");
        assertThat(resumed.getInt("data.added")).isEqualTo(16);
        assertThat(resumed.getInt("data.duplicates")).isZero();
        assertThat(resumed.getInt("data.processed")).isEqualTo(16);
        as(caller).get("/api/datasets/{id}", id)
                .then()
                .body("data.imageCount", equalTo(16))
                .body("data.splits.train", equalTo(12))
                .body("data.status", equalTo("ready"));
    }

    @Test
    void theSameUploadTwiceAddsNothing() {
        Header caller = newCaller();
        String id = createDataset(caller, "Twice", "detect");
        ingest(caller, id, shapes.zip());

        JsonPath again = ingest(caller, id, shapes.zip());

        assertThat(again.getString("data.state")).isEqualTo("succeeded");
        assertThat(again.getInt("data.added")).isZero();
        assertThat(again.getInt("data.duplicates")).isEqualTo(16);
        as(caller).get("/api/datasets/{id}", id).then().body("data.imageCount", equalTo(16));
    }

    @Test
    void imagesArePagedWithLabelsAndThumbnails() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Paged", "detect");
        ingest(caller, id, shapes.zip());

        JsonPath page = as(caller).get("/api/datasets/{id}/images?page=2&limit=5&split=train", id)
                .then()
                .statusCode(200)
                .body("data", hasSize(5))
                .body("meta.total", equalTo(12))
                .body("meta.page", equalTo(2))
                .extract()
                .jsonPath();
        String file = page.getString("data[0].file");
        List<List<Number>> annotations = page.getList("data[0].annotations");
        assertThat(annotations).hasSameSizeAs(shapes.labelsByFile().get(file));
        var thumbnail = ImageIO.read(new ByteArrayInputStream(fetch(page.getString("data[0].thumbnailUrl"))));
        assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isLessThanOrEqualTo(256);
    }

    @Test
    void sdkResolutionRedirectsToTheNdjsonFile() throws Exception {
        String username = "sdk-user-" + System.nanoTime();
        Header caller = newCaller(username);
        String id = createDataset(caller, "SDK Data", "detect");
        ingest(caller, id, shapes.zip());

        for (String method : List.of("GET", "HEAD")) {
            as(caller).redirects()
                    .follow(false)
                    .request(method, "/api/webhooks/datasets/{user}/{slug}/export", username, "sdk-data")
                    .then()
                    .statusCode(302)
                    .header("Location", matchesPattern("^http.*/sdk-data-v1\\.ndjson\\?.*"));
        }
        setStatus(id, "processing");
        as(caller).redirects()
                .follow(false)
                .head("/api/webhooks/datasets/{user}/{slug}/export", username, "sdk-data")
                .then()
                .statusCode(409);
        as(caller).redirects()
                .follow(false)
                .get("/api/webhooks/datasets/{user}/{slug}/export", username, "sdk-data")
                .then()
                .statusCode(409)
                .body("error.message", notNullValue());
        setStatus(id, "ready");
        as(newCaller()).redirects()
                .follow(false)
                .get("/api/webhooks/datasets/{user}/{slug}/export", username, "sdk-data")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        as(caller).redirects()
                .follow(false)
                .get("/api/webhooks/datasets/{user}/{slug}/export", username, "no-such-data")
                .then()
                .statusCode(404);
    }

    @Test
    void exportRefusesAnEmptyDataset() {
        Header caller = newCaller();
        String id = createDataset(caller, "Empty", "detect");
        as(caller).post("/api/datasets/{id}/export", id)
                .then()
                .statusCode(409)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void theOutboxCarriesIngestAndExportEvents() throws Exception {
        Header caller = newCaller();
        String id = createDataset(caller, "Events", "detect");
        ingest(caller, id, shapes.zip());
        as(caller).post("/api/datasets/{id}/export", id).then().statusCode(200);

        assertThat(outboxEventTypes(id)).contains("dataset.created", "dataset.ingested", "dataset.updated",
                "storage.changed", "dataset.exported");
    }

    /** What an ingest in progress looks like to readers (a real one is too quick to catch reliably). */
    void setStatus(String datasetId, String status) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement update = connection.prepareStatement("update dataset set status = ? where id = ?")) {
            update.setString(1, status);
            update.setString(2, datasetId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    /** The event types the outbox holds for one dataset, read with plain JDBC. */
    List<String> outboxEventTypes(String datasetId) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement query = connection
                        .prepareStatement("select event_type from outbox_event where message_key = ? order by seq")) {
            query.setString(1, datasetId);
            List<String> types = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
            return types;
        }
    }

    static List<JsonNode> downloadNdjson(String url) throws Exception {
        String text = new String(fetch(url));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** A GET without any credentials, as the SDK downloads. */
    static byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }
}
