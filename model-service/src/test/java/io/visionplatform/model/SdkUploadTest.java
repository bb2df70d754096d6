package io.visionplatform.model;

import static io.visionplatform.model.ModelCallers.as;
import static io.visionplatform.model.ModelCallers.createProject;
import static io.visionplatform.model.ModelCallers.newCaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.path.json.JsonPath;
import io.visionplatform.vision.Fixtures;

/** The SDK's checkpoint upload: presigned PUT of raw bytes, then the file is attached to the model on its own. */
@QuarkusTest
class SdkUploadTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFilePutToTheUploadUrlBecomesTheModelsWeights() throws Exception {
        String username = "sdk-up-" + System.nanoTime();
        Header caller = newCaller(username);
        String projectId = createProject(caller, "Runs");
        String modelId = untrained(caller, projectId, "exp1");

        JsonPath answer = as(caller).contentType(ContentType.JSON)
                .body(Map.of("filename", "model.onnx", "project", username + "/runs", "name", "exp1", "runId", "run-1"))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(200)
                .body("gcsPath", startsWith("models/" + modelId + "/"))
                .extract()
                .jsonPath();
        assertThat(answer.getString("uploadPath")).isEqualTo(answer.getString("gcsPath"));

        Path onnx = Fixtures.modelFile("yolo26n-shapes4", "model.onnx");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(answer.getString("uploadUrl")))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(onnx))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "ready".equals(as(caller).get("/api/models/{id}", modelId).jsonPath().getString("data.status")));
        as(caller).get("/api/models/{id}", modelId)
                .then()
                .body("data.format", equalTo("onnx"))
                .body("data.end2end", equalTo(true))
                .body("data.classNames", equalTo(List.of("circle", "square", "triangle", "cross")));
        as(caller).get("/api/models/{id}/files", modelId).then().body("data[0].fileName", equalTo("model.onnx"));
    }

    @Test
    void aBestPtPutBeforeAnyEventIsAttachedAndDownloadableThroughTheSdkPath() throws Exception {
        String username = "sdk-pt-" + System.nanoTime();
        Header caller = newCaller(username);
        String projectId = createProject(caller, "Train");
        String modelId = untrained(caller, projectId, "train");
        String uploadUrl = as(caller).contentType(ContentType.JSON)
                .body(Map.of("filename", "best.pt", "modelId", modelId))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(200)
                .extract()
                .path("uploadUrl");
        Path best = Fixtures.modelFile("yolov8n-shapes4", "best.pt");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(uploadUrl))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(best))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "ready".equals(as(caller).get("/api/models/{id}", modelId).jsonPath().getString("data.status")));
        as(caller).get("/api/models/{id}", modelId).then().body("data.format", equalTo("pt"));
        String location = as(caller).redirects()
                .follow(false)
                .get("/api/webhooks/models/{user}/{project}/{model}/download", username, "train", "train")
                .then()
                .statusCode(302)
                .extract()
                .header("Location");
        assertThat(URI.create(location).getPath()).endsWith("/best.pt");
    }

    @Test
    void uploadsNameTheirModelAndAFileName() {
        Header caller = newCaller();
        String projectId = createProject(caller, "Strict");
        String modelId = untrained(caller, projectId, "m");

        as(caller).contentType(ContentType.JSON)
                .body(Map.of("filename", "../best.pt", "modelId", modelId))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
        as(caller).contentType(ContentType.JSON)
                .body(Map.of("filename", "best.pt"))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(400);
        as(newCaller()).contentType(ContentType.JSON)
                .body(Map.of("filename", "best.pt", "modelId", modelId))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(404);
    }

    private static String untrained(Header caller, String projectId, String name) {
        return as(caller).multiPart("projectId", projectId)
                .multiPart("name", name)
                .multiPart("architecture", "yolo26n.yaml")
                .post("/api/models")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
    }
}
