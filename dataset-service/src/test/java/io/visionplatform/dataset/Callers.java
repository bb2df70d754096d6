package io.visionplatform.dataset;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.common.testing.TestIdentity;

/** Callers as the gateway vouches for them: a fresh account per call, so counts and slugs are exact. */
final class Callers {

    private Callers() {
    }

    static Header newCaller() {
        return newCaller("user-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static Header newCaller(String username) {
        return TestIdentity.header("account_" + username, username, Set.of("datasets"));
    }

    static RequestSpecification as(Header caller) {
        return given().header(caller).contentType(ContentType.JSON);
    }

    static String createDataset(Header caller, String name, String task) {
        return as(caller).body(Map.of("name", name, "task", task))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
    }

    /** POSTs files as the multipart field {@code file}. */
    static Response upload(Header caller, String datasetId, Path... files) {
        RequestSpecification request = given().header(caller);
        for (Path file : files) {
            request.multiPart("file", file.toFile());
        }
        return request.post("/api/datasets/{id}/images", datasetId);
    }

    /** Uploads and waits until the ingest job has finished; answers the job. */
    static JsonPath ingest(Header caller, String datasetId, Path... files) {
        String jobId = upload(caller, datasetId, files).then()
                .statusCode(202)
                .extract()
                .path("data.id");
        return awaitJob(caller, datasetId, jobId);
    }

    static JsonPath awaitJob(Header caller, String datasetId, String jobId) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> as(caller).get("/api/datasets/{id}/ingests/{job}", datasetId, jobId)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(), job -> !job.getString("data.state").matches("queued|running"));
    }
}
