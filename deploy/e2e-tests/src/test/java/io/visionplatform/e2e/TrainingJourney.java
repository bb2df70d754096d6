package io.visionplatform.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.dataset.testdata.SyntheticDatasets;
import io.visionplatform.vision.Fixtures;

/**
 * Training through the gateway. {@link #sdkReplay} needs no trainer: it sends exactly what the Ultralytics SDK sends
 * (SDK-PROTOCOL.md) and checks the model that comes out. The managed journeys need the real worker
 * ({@value #TRAINER}) and are skipped, saying so, until it is on the classpath.
 */
final class TrainingJourney {

    static final String TRAINER = "io.visionplatform.vision.train.TrainWorker";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SHAPES = List.of("circle", "square", "triangle", "cross");

    private TrainingJourney() {
    }

    /** The SDK's event sequence for {@code model.train(..., project="user/shapes", name="exp")}, then a cancel. */
    static void sdkReplay(String adminKey) throws Exception {
        String username = "sdk-" + Long.toString(System.nanoTime(), 36);
        String key = Accounts.newKey(adminKey, username);

        JsonPath started = event(key, Map.of("event", "training_started", "project", username + "/shapes",
                "name", "exp", "data", Map.of("trainArgs", Map.of("imgsz", "160", "epochs", "2"), "epochs", 2,
                        "device", "cpu", "environment", Map.of("ultralyticsVersion", "8.4.50", "cpuCount", 2))));
        String modelId = started.getString("modelId");
        String runId = started.getString("runId");
        assertThat(started.getBoolean("cancelled")).isFalse();
        assertThat(started.getString("modelSlug")).isEqualTo("exp");

        event(key, Map.of("event", "console_output", "modelId", modelId,
                "data", Map.of("chunkId", 1, "content", "      Epoch    GPU_mem   box_loss\n", "lineCount", 1)));
        event(key, epochEnd(modelId, 0, null));
        event(key, Map.of("event", "console_output", "modelId", modelId,
                "data", Map.of("chunkId", 2, "content", "        2/2         0G      1.203\n", "lineCount", 1)));
        event(key, epochEnd(modelId, 1, 0.52));

        Path best = Fixtures.modelFile("yolov8n-shapes4", "best.pt");
        JsonPath upload = as(key).contentType(ContentType.JSON)
                .body(Map.of("filename", "best.pt", "modelId", modelId, "runId", runId))
                .post("/api/webhooks/models/upload")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // As observed with a real SDK: training_complete reaches the server before the PUT has finished.
        event(key, Map.of("event", "checkpoint_saved", "modelId", modelId, "data",
                Map.of("modelPath", upload.getString("gcsPath"), "runId", runId, "uploadPath",
                        upload.getString("uploadPath"))));
        event(key, Map.of("event", "training_complete", "modelId", modelId, "data", Map.of("runId", runId,
                "classNames", SHAPES, "results", Map.of("metrics", Map.of("metrics/mAP50(B)", 0.81,
                        "metrics/mAP50-95(B)", 0.52), "bestEpoch", 1, "bestFitness", 0.55, "modelPath", "best.pt",
                        "modelSize", Files.size(best)))));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.getString("uploadUrl")))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(best))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        event(key, epochEnd(modelId, 1, 0.52));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> "ready".equals(as(key).get("/api/models/{id}", modelId).jsonPath().getString("data.status")));
        as(key).get("/api/models/{id}", modelId)
                .then()
                .body("data.format", equalTo("pt"))
                .body("data.classNames", equalTo(SHAPES))
                .body("data.metrics.'metrics/mAP50-95(B)'", equalTo(0.52f));
        as(key).get("/api/models/{id}/training", modelId)
                .then()
                .statusCode(200)
                .body("data.status", equalTo("completed"))
                .body("data.source", equalTo("sdk"))
                .body("data.progress.currentEpoch", equalTo(2))
                .body("data.progress.percentage", equalTo(100.0f))
                .body("data.epochs.size()", equalTo(2))
                .body("data.epochs[0].metrics.'metrics/mAP50-95(B)'", nullValue());
        as(key).get("/api/models/{id}/training/logs", modelId)
                .then()
                .body("data.chunkId", equalTo(List.of(1, 2)));

        String url = as(key).get("/api/models/{id}/files", modelId)
                .then()
                .statusCode(200)
                .extract()
                .path("data.find { it.kind == 'weights' }.url");
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.body()).isEqualTo(Files.readAllBytes(best));
        as(key).multiPart("file", Fixtures.image("predict_01_120x300.jpg").toFile())
                .post("/api/models/{id}/predict", modelId)
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("predictions", not(empty()))
                .body("predictions.class", everyItem(in(SHAPES)));

        // A platform-side cancel reaches an SDK run in the answer to its next event.
        String second = event(key, Map.of("event", "training_started", "project", username + "/shapes",
                "name", "exp", "data", Map.of("epochs", 10)))
                .getString("modelId");
        assertThat(second).isNotEqualTo(modelId);
        as(key).delete("/api/models/{id}/training", second).then().statusCode(200).body("data.status",
                equalTo("cancelled"));
        assertThat(event(key, epochEnd(second, 0, 0.1)).getBoolean("cancelled")).isTrue();

        // Nobody else sees any of it.
        String stranger = Accounts.newKey(adminKey, username + "-x");
        as(stranger).get("/api/models/{id}/training", modelId).then().statusCode(404);
        as(stranger).delete("/api/models/{id}/training", second).then().statusCode(404);
    }

    /** Bad input through the gateway: the contract's envelope, never a 500. */
    static void startValidation(String adminKey) {
        String username = "val-" + Long.toString(System.nanoTime(), 36);
        String key = Accounts.newKey(adminKey, username);
        Map<String, Object> request = new HashMap<>(Map.of("modelId", "model_none", "datasetId", "dataset_none",
                "epochs", 3, "imageSize", 160, "gpuType", "quantum-9000"));
        as(key).contentType(ContentType.JSON).body(request).post("/api/training/start")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.validGpuTypes", hasItems("cpu"));
        request.put("gpuType", "cpu");
        as(key).contentType(ContentType.JSON).body(request).post("/api/training/start")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    /** Dataset ingest → model from yolov8n.yaml → 3 epochs at 160 on cpu → completed → predict on it. */
    static void trainAndPredict(String adminKey, Path work) throws Exception {
        requireTrainer();
        Setup setup = setup(adminKey, work, "e2e");
        JsonPath run = start(setup, 3);
        JsonPath done = await().atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> status(setup), found -> !found.getString("data.status").matches("queued|starting|running"));
        assertThat(done.getString("data.status")).as(done.prettify()).isEqualTo("completed");
        assertThat(done.getString("data.runId")).isEqualTo(run.getString("data.runId"));
        assertThat(done.getList("data.epochs")).hasSize(3);
        assertThat(done.getMap("data.epochs[2].metrics")).containsKey("metrics/mAP50-95(B)");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "ready".equals(as(setup.key()).get("/api/models/{id}", setup.modelId())
                        .jsonPath()
                        .getString("data.status")));
        as(setup.key()).get("/api/models/{id}", setup.modelId())
                .then()
                .body("data.classNames", equalTo(List.of("circle", "square")));
        // three epochs from scratch are far from confident: ask for everything above 0.001, as validation does
        as(setup.key()).multiPart("file", Fixtures.image("predict_01_120x300.jpg").toFile())
                .multiPart("conf", "0.001")
                .post("/api/models/{id}/predict", setup.modelId())
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("predictions", not(empty()))
                .body("predictions.class", everyItem(in(List.of("circle", "square"))));
    }

    /**
     * DELETE once an epoch is done: the trainer stops within one batch — no epoch completes 10 s later — and reports
     * its end with the best checkpoint so far, which becomes the model's weights.
     */
    static void cancelWithinTenSeconds(String adminKey, Path work) throws Exception {
        requireTrainer();
        Setup setup = setup(adminKey, work, "cancel");
        start(setup, 200);
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> status(setup), found -> found.getInt("data.progress.currentEpoch") >= 1
                        || !found.getString("data.status").matches("queued|starting|running"));
        assertThat(status(setup).getString("data.status")).isEqualTo("running");
        int epochsAtCancel = as(setup.key()).delete("/api/models/{id}/training", setup.modelId())
                .then()
                .statusCode(200)
                .body("data.status", equalTo("cancelled"))
                .extract()
                .path("data.progress.currentEpoch");
        Thread.sleep(10_000);
        int epochsAtTen = status(setup).getInt("data.progress.currentEpoch");
        // an epoch_end already on its way when the cancel landed may still arrive; nothing after that
        assertThat(epochsAtTen).isLessThanOrEqualTo(epochsAtCancel + 1);
        JsonPath ended = await().atMost(Duration.ofSeconds(60))
                .until(() -> status(setup), found -> !found.getList("data.classNames").isEmpty());
        assertThat(ended.getString("data.status")).isEqualTo("cancelled");
        assertThat(ended.getInt("data.progress.currentEpoch")).isEqualTo(epochsAtTen);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "ready".equals(as(setup.key()).get("/api/models/{id}", setup.modelId())
                        .jsonPath()
                        .getString("data.status")));
    }

    /**
     * kill -9 of training-service mid-run: after the restart a worker that is still alive is re-attached and its run
     * completes; one that died is failed — never left running.
     */
    static void survivesAKilledTrainingService(String adminKey, Path work, Path dataDir, Runnable restart)
            throws Exception {
        requireTrainer();
        Setup setup = setup(adminKey, work, "kill");
        String runId = start(setup, 5).getString("data.runId");
        await().atMost(Duration.ofMinutes(5))
                .until(() -> status(setup).getString("data.status"), "running"::equals);
        long pid = Long.parseLong(Files.readString(dataDir.resolve("run/training-service.pid")).trim().split("\\s+")[0]);
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
        restart.run();
        Path workerJson = dataDir.resolve("training").resolve(runId).resolve("worker.json");
        long workerPid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(workerJson.toFile()).path("pid")
                .asLong();
        boolean workerAlive = ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false);
        JsonPath done = await().atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> status(setup), found -> !found.getString("data.status").matches("queued|starting|running"));
        assertThat(done.getString("data.status")).as(done.prettify()).isEqualTo(workerAlive ? "completed" : "failed");
    }

    private record Setup(String key, String modelId, String datasetId) {
    }

    private static Setup setup(String adminKey, Path work, String prefix) throws Exception {
        String username = prefix + "-" + Long.toString(System.nanoTime(), 36);
        String key = Accounts.newKey(adminKey, username);
        Path zip = SyntheticDatasets.yoloZip(work.resolve(prefix + ".zip"), List.of("circle", "square"), 16, 4, 7L)
                .zip();
        String datasetId = as(key).contentType(ContentType.JSON)
                .body(Map.of("name", "Shapes " + prefix, "task", "detect"))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        String jobId = as(key).multiPart("file", zip.toFile())
                .post("/api/datasets/{id}/images", datasetId)
                .then()
                .statusCode(202)
                .extract()
                .path("data.id");
        await().atMost(Duration.ofSeconds(120))
                .until(() -> as(key).get("/api/datasets/{id}/ingests/{job}", datasetId, jobId)
                        .jsonPath()
                        .getString("data.state"), "succeeded"::equals);
        String projectId = as(key).contentType(ContentType.JSON)
                .body(Map.of("name", "Training " + prefix))
                .post("/api/projects")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        String modelId = as(key).multiPart("projectId", projectId)
                .multiPart("name", "v8n")
                .multiPart("architecture", "yolov8n.yaml")
                .post("/api/models")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        return new Setup(key, modelId, datasetId);
    }

    private static JsonPath start(Setup setup, int epochs) {
        return as(setup.key()).contentType(ContentType.JSON)
                .header("Idempotency-Key", "start-" + setup.modelId())
                .body(Map.of("modelId", setup.modelId(), "datasetId", setup.datasetId(), "epochs", epochs,
                        "imageSize", 160, "gpuType", "cpu"))
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static JsonPath status(Setup setup) {
        return as(setup.key()).get("/api/models/{id}/training", setup.modelId()).then().extract().jsonPath();
    }

    static boolean trainerAvailable() {
        try {
            Class.forName(TRAINER, false, TrainingJourney.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void requireTrainer() {
        Assumptions.assumeTrue(trainerAvailable(), "Skipped: the training worker " + TRAINER + " (libs/vision-core, "
                + "ADR 0007) is not on the classpath yet; this journey needs the real trainer and runs once it is");
    }

    private static Map<String, Object> epochEnd(String modelId, int epoch, Double map5095) {
        Map<String, Object> metrics = new HashMap<>();
        metrics.put("train/box_loss", 1.2);
        metrics.put("metrics/mAP50-95(B)", map5095);
        Map<String, Object> data = new HashMap<>();
        data.put("epoch", epoch);
        data.put("metrics", metrics);
        data.put("fitness", map5095);
        data.put("best_fitness", map5095);
        return Map.of("event", "epoch_end", "modelId", modelId, "data", data);
    }

    private static JsonPath event(String key, Map<String, Object> body) {
        return as(key).contentType(ContentType.JSON)
                .body(body)
                .post("/api/webhooks/training/metrics")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }
}
