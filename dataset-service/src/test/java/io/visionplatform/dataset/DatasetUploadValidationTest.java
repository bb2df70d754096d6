package io.visionplatform.dataset;

import static io.restassured.RestAssured.given;
import static io.visionplatform.dataset.Callers.as;
import static io.visionplatform.dataset.Callers.createDataset;
import static io.visionplatform.dataset.Callers.newCaller;
import static io.visionplatform.dataset.Callers.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.visionplatform.dataset.testdata.MalformedUploads;
import io.visionplatform.dataset.testdata.SyntheticDatasets;

/**
 * Bad uploads are refused with a VALIDATION_ERROR that says why, nothing of them is kept, and the service stays
 * healthy; a mixed upload keeps its good images and names each bad file.
 */
@QuarkusTest
class DatasetUploadValidationTest {

    @TempDir
    static Path work;

    static List<MalformedUploads.Case> cases;

    @BeforeAll
    static void generate() throws IOException {
        cases = MalformedUploads.all(work);
    }

    static Stream<MalformedUploads.Case> malformed() throws IOException {
        if (cases == null) {
            generate();
        }
        return cases.stream();
    }

    @Test
    void thereAreAtLeastTwentyMalformedUploads() {
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedUploadIsRefusedAndLeavesNothingBehind(MalformedUploads.Case upload) {
        Header caller = newCaller();
        String id = createDataset(caller, "Target", "detect");

        upload(caller, id, upload.file())
                .then()
                .statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.message", notNullValue())
                .body("error.details", notNullValue());

        as(caller).get("/api/datasets/{id}", id)
                .then()
                .body("data.imageCount", equalTo(0))
                .body("data.status", equalTo("ready"))
                .body("data.classNames", equalTo(List.of()));
        as(caller).get("/api/datasets/{id}/ingests", id).then().body("meta.total", equalTo(0));
        as(caller).get("/api/datasets/{id}/images", id).then().body("meta.total", equalTo(0));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void filesInAnotherMultipartFieldAreRefused() throws IOException {
        Header caller = newCaller();
        String id = createDataset(caller, "Fields", "detect");
        Path zip = SyntheticDatasets.yoloZip(work.resolve("fields.zip"), List.of("a"), 1, 0, 3L).zip();

        given().header(caller)
                .multiPart("upload", zip.toFile())
                .post("/api/datasets/{id}/images", id)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.unexpectedFields", hasItem("upload"));
        given().header(caller)
                .multiPart("split", "train")
                .post("/api/datasets/{id}/images", id)
                .then()
                .statusCode(400)
                .body("error.details.fields.file", notNullValue());
        given().header(caller)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/datasets/{id}/images", id)
                .then()
                .statusCode(415)
                .body("error.code", equalTo("VALIDATION_ERROR"));
        given().header(caller)
                .multiPart("file", zip.toFile())
                .multiPart("split", "holdout")
                .post("/api/datasets/{id}/images", id)
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void aMixedUploadKeepsTheGoodImagesAndNamesTheBadOnes() throws IOException {
        Header caller = newCaller();
        String id = createDataset(caller, "Mixed", "detect");
        Path zip = MalformedUploads.mixed(work.resolve("mixed.zip"));

        var job = Callers.ingest(caller, id, zip);

        assertThat(job.getString("data.state")).isEqualTo("succeeded");
        assertThat(job.getInt("data.added")).isEqualTo(3);
        assertThat(job.getInt("data.failed")).isEqualTo(3);
        assertThat(job.getInt("data.processed")).isEqualTo(job.getInt("data.total"));
        assertThat(job.getList("data.errors.reason", String.class)).allSatisfy(reason -> assertThat(reason).isNotBlank());
        as(caller).get("/api/datasets/{id}", id)
                .then()
                .body("data.imageCount", equalTo(job.getInt("data.added")))
                .body("data.status", equalTo("ready"));
    }
}
