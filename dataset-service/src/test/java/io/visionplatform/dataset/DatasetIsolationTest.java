package io.visionplatform.dataset;

import static io.restassured.RestAssured.given;
import static io.visionplatform.dataset.Callers.as;
import static io.visionplatform.dataset.Callers.createDataset;
import static io.visionplatform.dataset.Callers.newCaller;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.visionplatform.dataset.testdata.SyntheticDatasets;

/** Every dataset endpoint answers NOT_FOUND for another account's dataset, and changes nothing. */
@QuarkusTest
class DatasetIsolationTest {

    @TempDir
    Path work;

    @Test
    void anotherAccountsDatasetIsNotFoundEverywhere() throws IOException {
        Header owner = newCaller();
        String id = createDataset(owner, "Private", "detect");
        Path zip = SyntheticDatasets.yoloZip(work.resolve("p.zip"), List.of("a"), 2, 1, 5L).zip();
        String jobId = Callers.ingest(owner, id, zip).getString("data.id");
        Header stranger = newCaller();

        List<Response> answers = List.of(
                as(stranger).get("/api/datasets/{id}", id),
                as(stranger).delete("/api/datasets/{id}", id),
                as(stranger).post("/api/datasets/{id}/export", id),
                as(stranger).get("/api/datasets/{id}/exports", id),
                as(stranger).get("/api/datasets/{id}/images", id),
                as(stranger).get("/api/datasets/{id}/ingests", id),
                as(stranger).get("/api/datasets/{id}/ingests/{job}", id, jobId),
                given().header(stranger).multiPart("file", zip.toFile()).post("/api/datasets/{id}/images", id),
                as(stranger).body(Map.of("itemId", id, "type", "dataset")).post("/api/trash/restore"));
        for (Response answer : answers) {
            answer.then()
                    .statusCode(404)
                    .body("error.code", equalTo("NOT_FOUND"));
        }
        as(owner).get("/api/datasets/{id}", id)
                .then()
                .statusCode(200)
                .body("data.imageCount", equalTo(3));
    }
}
