package io.visionplatform.model;

import static io.visionplatform.model.ModelCallers.as;
import static io.visionplatform.model.ModelCallers.newCaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

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

/**
 * What training-service asks of the model service (internal, {@code /api/internal/training}): the model an SDK run
 * names, and the trained model's metrics — with the trainer's best.pt and best.onnx uploads, in either order.
 */
@QuarkusTest
class TrainingModelTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anSdkRunsProjectIsCreatedOnceAndATakenModelSlugIsRenamed() {
        String username = "train-reg-" + System.nanoTime();
        Header caller = newCaller(username);
        JsonPath first = register(caller, username + "/My Runs", "exp");
        JsonPath second = register(caller, username + "/My Runs", "exp");

        assertThat(first.getString("data.modelSlug")).isEqualTo("exp");
        assertThat(second.getString("data.modelSlug")).isNotEqualTo("exp").startsWith("exp-");
        assertThat(second.getString("data.projectId")).isEqualTo(first.getString("data.projectId"));
        assertThat(first.getString("data.projectSlug")).isEqualTo("my-runs");
        as(caller).get("/api/models/{id}", first.getString("data.modelId"))
                .then()
                .statusCode(200)
                .body("data.status", equalTo("untrained"));

        // whatever user prefix the SDK sends, the run belongs to the caller's account
        Header other = newCaller();
        JsonPath theirs = register(other, username + "/My Runs", "exp");
        assertThat(theirs.getString("data.projectId")).isNotEqualTo(first.getString("data.projectId"));
        as(other).get("/api/models/{id}", first.getString("data.modelId"))
                .then()
                .statusCode(404);
    }

    @Test
    void aTrainedModelGetsItsMetricsClassesPtWeightsAndOnnxAndPredicts() throws Exception {
        String username = "train-res-" + System.nanoTime();
        Header caller = newCaller(username);
        String modelId = register(caller, username + "/shapes", "run").getString("data.modelId");

        // training_complete may come first: the metrics and classes are recorded before any weights arrive
        as(caller).contentType(ContentType.JSON)
                .body(Map.of("runId", "run_1", "classNames", List.of("circle", "square", "triangle", "cross"),
                        "metrics", Map.of("metrics/mAP50-95(B)", 0.71, "metrics/mAP50(B)", 0.9)))
                .post("/api/internal/training/models/{id}/result", modelId)
                .then()
                .statusCode(200)
                .body("data.metrics.'metrics/mAP50-95(B)'", equalTo(0.71f))
                .body("data.classNames", hasItems("circle", "cross"));

        put(caller, modelId, "best.pt", Fixtures.modelFile("yolov8n-shapes4", "best.pt"));
        put(caller, modelId, "best.onnx", Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));
        await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> as(caller).get("/api/models/{id}/files", modelId).jsonPath().getList("data").size() == 2);

        as(caller).get("/api/models/{id}", modelId)
                .then()
                .body("data.status", equalTo("ready"))
                .body("data.format", equalTo("pt"))
                .body("data.metrics.'metrics/mAP50-95(B)'", equalTo(0.71f));
        as(caller).get("/api/models/{id}/files", modelId)
                .then()
                .body("data.findAll { it.kind == 'weights' }.format", equalTo(List.of("pt")))
                .body("data.findAll { it.kind == 'export' }.format", equalTo(List.of("onnx")));
        as(caller).redirects()
                .follow(false)
                .get("/api/webhooks/models/{user}/{project}/{model}/download", username, "shapes", "run")
                .then()
                .statusCode(302);
        ModelCallers.predict(caller, modelId, Fixtures.image(Fixtures.imageNames().get(0)), Map.of())
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("predictions", not(empty()));
    }

    @Test
    void anotherAccountsModelIsNotFoundAndBadBodiesAreFieldErrors() {
        Header caller = newCaller();
        String modelId = register(caller, "me/p", "m").getString("data.modelId");
        as(newCaller()).contentType(ContentType.JSON)
                .body(Map.of("runId", "run_1", "metrics", Map.of()))
                .post("/api/internal/training/models/{id}/result", modelId)
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        as(caller).contentType(ContentType.JSON)
                .body(Map.of("project", "me/p"))
                .post("/api/internal/training/models")
                .then()
                .statusCode(400)
                .body("error.details.fields.name", org.hamcrest.Matchers.notNullValue());
    }

    private static JsonPath register(Header caller, String project, String name) {
        return as(caller).contentType(ContentType.JSON)
                .body(Map.of("project", project, "name", name))
                .post("/api/internal/training/models")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static void put(Header caller, String modelId, String fileName, Path file) throws Exception {
        String uploadUrl = as(caller).contentType(ContentType.JSON)
                .body(Map.of("filename", fileName, "modelId", modelId, "runId", "run_1"))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(200)
                .extract()
                .path("uploadUrl");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(uploadUrl))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }
}
