package io.visionplatform.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.vision.Fixtures;

/**
 * A user's model journey through the gateway: a project, an ONNX upload that reads its own metadata, predict with
 * Ultralytics' answers, the signed file URL, the SDK's checkpoint upload, the trash, and nothing for a stranger.
 */
final class ModelJourney {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ModelJourney() {
    }

    static void run(String adminKey) throws Exception {
        String username = "models-" + Long.toString(System.nanoTime(), 36);
        String key = Accounts.newKey(adminKey, username);
        Path onnx = Fixtures.modelFile("yolo11n-shapes4", "model.onnx");

        String projectId = as(key).contentType(ContentType.JSON)
                .body(Map.of("name", "Shapes Lab"))
                .post("/api/projects")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        String modelId = as(key).multiPart("file", onnx.toFile())
                .multiPart("projectId", projectId)
                .multiPart("name", "yolo11n shapes")
                .post("/api/models")
                .then()
                .statusCode(201)
                .body("data.classNames", equalTo(List.of("circle", "square", "triangle", "cross")))
                .body("data.imgsz", equalTo(192))
                .extract()
                .path("data.id");

        String image = "predict_01_120x300.jpg";
        JsonNode recorded = Fixtures.json("yolo11n-shapes4", "predictions.json")
                .get("sets")
                .get("onnx_ort_conf0.25_iou0.7")
                .get("images")
                .get(image)
                .get("detections");
        JsonPath predicted = as(key).multiPart("file", Fixtures.image(image).toFile())
                .post("/api/models/{id}/predict", modelId)
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .extract()
                .jsonPath();
        assertThat(predicted.getList("predictions")).hasSize(recorded.size());
        assertThat(predicted.getString("predictions[0].class")).isEqualTo(recorded.get(0).get("name").asText());
        assertThat(predicted.getDouble("predictions[0].confidence"))
                .isCloseTo(recorded.get(0).get("conf").asDouble(), org.assertj.core.data.Offset.offset(0.01));

        String url = as(key).get("/api/models/{id}/files", modelId).then().statusCode(200).extract().path("data[0].url");
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.body()).isEqualTo(Files.readAllBytes(onnx));

        String untrained = as(key).multiPart("projectId", projectId)
                .multiPart("name", "run 1")
                .multiPart("architecture", "yolo26n.yaml")
                .post("/api/models")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        String uploadUrl = as(key).contentType(ContentType.JSON)
                .body(Map.of("filename", "model.onnx", "modelId", untrained))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(200)
                .extract()
                .path("uploadUrl");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(uploadUrl))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(Fixtures.modelFile("yolo26n-shapes4", "model.onnx")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "ready".equals(as(key).get("/api/models/{id}", untrained).jsonPath().getString("data.status")));

        String strangerKey = Accounts.newKey(adminKey, username + "-x");
        as(strangerKey).get("/api/models/{id}", modelId).then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        as(strangerKey).multiPart("file", Fixtures.image(image).toFile())
                .post("/api/models/{id}/predict", modelId)
                .then()
                .statusCode(404);

        as(key).delete("/api/projects/{id}", projectId).then().statusCode(200);
        as(key).get("/api/trash").then().statusCode(200).body("data.id", hasItem(projectId));
        as(key).contentType(ContentType.JSON)
                .body(Map.of("itemId", projectId, "type", "project"))
                .post("/api/trash")
                .then()
                .statusCode(200);
        as(key).get("/api/models/{id}", modelId).then().statusCode(200);
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }
}
