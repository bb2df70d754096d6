package io.visionplatform.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.dataset.testdata.NdjsonLabels;
import io.visionplatform.dataset.testdata.SyntheticDatasets;
import io.visionplatform.dataset.testdata.SyntheticDatasets.SyntheticDataset;

/**
 * A user's dataset journey through the gateway: a new account uploads a YOLO zip (streamed through the gateway),
 * exports it, and the SDK's path resolves it; the NDJSON and every image in it download without auth and give back
 * exactly the labels that went in.
 */
final class DatasetJourney {

    private static final HttpClient HTTP = HttpClient.newBuilder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetJourney() {
    }

    static void run(String adminKey, Path work) throws Exception {
        String username = "journey-" + Long.toString(System.nanoTime(), 36);
        String key = Accounts.newKey(adminKey, username);
        SyntheticDataset shapes = SyntheticDatasets.yoloZip(work.resolve("journey.zip"), List.of("circle", "square"), 10,
                4, 42L);

        String id = as(key).contentType(ContentType.JSON)
                .body(Map.of("name", "Journey Shapes", "task", "detect"))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        String jobId = as(key).multiPart("file", shapes.zip().toFile())
                .post("/api/datasets/{id}/images", id)
                .then()
                .statusCode(202)
                .extract()
                .path("data.id");
        JsonPath job = await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> as(key).get("/api/datasets/{id}/ingests/{job}", id, jobId).then().extract().jsonPath(),
                        found -> !found.getString("data.state").matches("queued|running"));
        assertThat(job.getString("data.state")).isEqualTo("succeeded");
        assertThat(job.getInt("data.added")).isEqualTo(14);
        as(key).get("/api/datasets/{id}", id)
                .then()
                .body("data.imageCount", equalTo(14))
                .body("data.classNames", equalTo(List.of("circle", "square")));

        String url = as(key).post("/api/datasets/{id}/export", id).then().statusCode(200).extract().path("data.url");
        assertThat(NdjsonLabels.boxesByFile(download(url))).isEqualTo(shapes.labelsByFile());

        for (String method : List.of("HEAD", "GET")) {
            String location = as(key).redirects()
                    .follow(false)
                    .request(method, "/api/webhooks/datasets/{user}/{slug}/export", username, "journey-shapes")
                    .then()
                    .statusCode(302)
                    .header("Location", matchesPattern("^http[^?]*\\.ndjson(\\?.*)?$"))
                    .extract()
                    .header("Location");
            assertThat(NdjsonLabels.boxesByFile(download(location))).isEqualTo(shapes.labelsByFile());
        }

        String strangerKey = Accounts.newKey(adminKey, username + "-x");
        as(strangerKey).redirects()
                .follow(false)
                .get("/api/webhooks/datasets/{user}/{slug}/export", username, "journey-shapes")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        as(strangerKey).get("/api/datasets/{id}/images", id).then().statusCode(404);
        given().header("Authorization", "Bearer ul_" + "0".repeat(40))
                .redirects()
                .follow(false)
                .head("/api/webhooks/datasets/{user}/{slug}/export", username, "journey-shapes")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer ul_" + "0".repeat(40))
                .get("/api/webhooks/datasets/{user}/{slug}/export", username, "journey-shapes")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        Files.deleteIfExists(shapes.zip());
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** Downloads without any credentials, as the SDK does; checks every image URL too. */
    private static List<JsonNode> download(String url) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(get(url)).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        for (JsonNode image : lines.subList(1, lines.size())) {
            assertThat(get(image.get("url").asText())).isNotEmpty();
        }
        return lines;
    }

    private static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }
}
