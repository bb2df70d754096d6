package io.visionplatform.training;

import static io.restassured.RestAssured.given;
import static io.visionplatform.training.Callers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visionplatform.training.Callers.Caller;
import io.visionplatform.training.testing.FakePlatform;

/**
 * Replays what the Ultralytics SDK sends for {@code model.train(..., project="user/proj", name="exp")} (SDK-PROTOCOL.md,
 * incl. what a real 8.4.50 run did: the last epoch_end twice, training_complete before the checkpoint PUT ended).
 */
@QuarkusTest
class SdkTelemetryReplayTest {

    @Inject
    AgroalDataSource database;

    @Test
    void anSdkRunIsRegisteredTrackedAndFinalised() throws SQLException {
        Caller alice = Callers.newCaller();
        JsonPath registered = event(alice, Map.of("event", "training_started",
                "project", alice.username() + "/proj", "name", "exp",
                "data", Map.of("trainArgs", Map.of("imgsz", "160", "epochs", "2", "batch", "8"),
                        "epochs", 2, "device", "cpu",
                        "environment", Map.of("ultralyticsVersion", "8.4.50", "os", "Linux", "cpuCount", 2))));
        String modelId = registered.getString("modelId");
        String runId = registered.getString("runId");
        assertThat(modelId).startsWith("model_");
        assertThat(runId).startsWith("run_");
        assertThat(registered.getString("modelSlug")).startsWith("exp");
        assertThat(registered.getBoolean("cancelled")).isFalse();

        event(alice, Map.of("event", "console_output", "modelId", modelId,
                "data", Map.of("chunkId", 1, "content", "Epoch 1/2\nloss 1.2\n", "lineCount", 2)));
        event(alice, Map.of("event", "console_output", "modelId", modelId,
                "data", Map.of("chunkId", 2, "content", "Epoch 2/2\n", "lineCount", 1)));
        // a retried chunk is stored once
        event(alice, Map.of("event", "console_output", "modelId", modelId,
                "data", Map.of("chunkId", 1, "content", "Epoch 1/2\nloss 1.2\n", "lineCount", 2)));

        event(alice, epochEnd(modelId, 0, null, 0.1, Map.of("modelInfo", Map.of("parameters", 2_590_000))));
        event(alice, epochEnd(modelId, 1, 0.42, 0.35, Map.of()));
        event(alice, Map.of("event", "checkpoint_saved", "modelId", modelId,
                "data", Map.of("modelPath", "models/" + modelId + "/uploads/u1/best.pt", "runId", runId)));
        JsonPath complete = event(alice, Map.of("event", "training_complete", "modelId", modelId,
                "data", Map.of("runId", runId, "classNames", List.of("circle", "square"),
                        "results", Map.of("metrics", Map.of("metrics/mAP50(B)", 0.61, "metrics/mAP50-95(B)", 0.42),
                                "bestEpoch", 1, "bestFitness", 0.35, "modelPath", "best.pt", "modelSize", 6_000_000))));
        assertThat(complete.getBoolean("cancelled")).isFalse();
        // the SDK's final validation sends the last epoch again
        event(alice, epochEnd(modelId, 1, 0.42, 0.35, Map.of()));

        as(alice).get("/api/models/{id}/training", modelId)
                .then()
                .statusCode(200)
                .body("data.runId", equalTo(runId))
                .body("data.status", equalTo("completed"))
                .body("data.source", equalTo("sdk"))
                .body("data.progress.currentEpoch", equalTo(2))
                .body("data.progress.totalEpochs", equalTo(2))
                .body("data.progress.percentage", equalTo(100.0f))
                .body("data.timing.etaSeconds", equalTo(0))
                .body("data.epochs.size()", equalTo(2))
                .body("data.epochs[0].metrics.'metrics/mAP50-95(B)'", nullValue())
                .body("data.epochs[0].metrics.'train/box_loss'", equalTo(1.5f))
                .body("data.epochs[1].metrics.'metrics/mAP50-95(B)'", equalTo(0.42f))
                .body("data.metrics.'metrics/mAP50-95(B)'", equalTo(0.42f))
                .body("data.bestEpoch", equalTo(1))
                .body("data.classNames", equalTo(List.of("circle", "square")))
                .body("data.error", nullValue());

        as(alice).get("/api/models/{id}/training/logs", modelId)
                .then()
                .statusCode(200)
                .body("meta.total", equalTo(2))
                .body("data.chunkId", equalTo(List.of(1, 2)))
                .body("data[0].content", startsWith("Epoch 1/2"));

        // the model service was told the trained model's metrics and classes
        JsonPath recorded = given().get(FakePlatform.url() + "/fake/results/" + modelId)
                .then()
                .extract()
                .jsonPath();
        assertThat(recorded.getString("runId")).isEqualTo(runId);
        assertThat(recorded.getList("classNames")).containsExactly("circle", "square");
        assertThat(recorded.getFloat("metrics.'metrics/mAP50-95(B)'")).isEqualTo(0.42f);

        // one fact per epoch (the repeat is not billed twice), one start, one end
        assertThat(eventTypes(runId)).containsExactly("training.started", "training.epoch", "training.epoch",
                "training.completed");
    }

    @Test
    void aPlatformCancelIsAnsweredOnTheNextEvent() throws SQLException {
        Caller alice = Callers.newCaller();
        JsonPath registered = event(alice, Map.of("event", "training_started",
                "project", alice.username() + "/proj", "name", "exp",
                "data", Map.of("epochs", 5, "trainArgs", Map.of("imgsz", "160"))));
        String modelId = registered.getString("modelId");
        event(alice, epochEnd(modelId, 0, 0.1, 0.1, Map.of()));

        as(alice).delete("/api/models/{id}/training", modelId)
                .then()
                .statusCode(200)
                .body("data.status", equalTo("cancelled"));

        assertThat(event(alice, epochEnd(modelId, 1, 0.2, 0.2, Map.of())).getBoolean("cancelled")).isTrue();
        JsonPath complete = event(alice, Map.of("event", "training_complete", "modelId", modelId,
                "data", Map.of("runId", registered.getString("runId"), "classNames", List.of("circle"),
                        "results", Map.of("metrics", Map.of("metrics/mAP50-95(B)", 0.2)))));
        assertThat(complete.getBoolean("cancelled")).isTrue();

        as(alice).get("/api/models/{id}/training", modelId)
                .then()
                .body("data.status", equalTo("cancelled"))
                .body("data.progress.currentEpoch", equalTo(2))
                .body("data.metrics.'metrics/mAP50-95(B)'", equalTo(0.2f));
        assertThat(eventTypes(registered.getString("runId"))).containsExactly("training.started", "training.epoch",
                "training.cancelled", "training.epoch");
    }

    @Test
    void aTrainerRegistersTheManagedRunWaitingForIt() throws InterruptedException {
        Caller alice = Callers.newCaller();
        // our worker names the model by id
        String model = Callers.untrainedModel(alice);
        String runId = as(alice).body(Callers.start(model, Callers.dataset(alice)))
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .path("data.runId");
        JsonPath registered = event(alice, Map.of("event", "training_started", "modelId", model,
                "data", Map.of("epochs", 3, "device", "cpu")));
        assertThat(registered.getString("runId")).isEqualTo(runId);
        assertThat(registered.getString("modelId")).isEqualTo(model);
        // an executor pass later: a run whose trainer registered by itself is not taken for a dead local worker
        Thread.sleep(3000);
        as(alice).get("/api/models/{id}/training", model)
                .then()
                .body("data.status", equalTo("running"))
                .body("data.source", equalTo("managed"))
                .body("data.device", equalTo("cpu"));

        // the official image's yolo train knows only project=user/<project slug> and name=<model slug>
        String other = Callers.untrainedModel(alice);
        String otherRun = as(alice).body(Callers.start(other, Callers.dataset(alice)))
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .path("data.runId");
        JsonPath byName = event(alice, Map.of("event", "training_started", "project", alice.username() + "/proj-slug",
                "name", "m-" + other.substring(6, 12), "data", Map.of("epochs", 3)));
        assertThat(byName.getString("runId")).isEqualTo(otherRun);
        assertThat(byName.getString("modelId")).isEqualTo(other);
    }

    @Test
    void aFailedRunKeepsItsError() {
        Caller alice = Callers.newCaller();
        String modelId = event(alice, Map.of("event", "training_started", "project", alice.username() + "/p",
                "name", "exp", "data", Map.of("epochs", 3)))
                .getString("modelId");
        event(alice, Map.of("event", "training_failed", "modelId", modelId,
                "data", Map.of("error", "CUDA out of memory", "code", "OOM")));
        as(alice).get("/api/models/{id}/training", modelId)
                .then()
                .body("data.status", equalTo("failed"))
                .body("data.error.message", equalTo("CUDA out of memory"))
                .body("data.error.code", equalTo("OOM"));
    }

    @Test
    void badEventsAnswerJsonErrors() {
        Caller alice = Callers.newCaller();
        as(alice).body(Map.of("event", "epoch_end", "data", Map.of("epoch", 0)))
                .post("/api/webhooks/training/metrics")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
        as(alice).body(Map.of("event", "epoch_end", "modelId", "model_nope", "data", Map.of("epoch", 0)))
                .post("/api/webhooks/training/metrics")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        as(alice).body(Map.of("event", "training_started", "data", Map.of()))
                .post("/api/webhooks/training/metrics")
                .then()
                .statusCode(400)
                .body("error.details.fields.modelId", org.hamcrest.Matchers.notNullValue());
        as(alice).body(Map.of("event", "warp_drive", "modelId", "m"))
                .post("/api/webhooks/training/metrics")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    private static Map<String, Object> epochEnd(String modelId, int epoch, Double map5095, Double fitness,
            Map<String, Object> extra) {
        Map<String, Object> metrics = new HashMap<>();
        metrics.put("train/box_loss", 1.5);
        metrics.put("metrics/mAP50-95(B)", map5095); // NaN arrives as null
        Map<String, Object> data = new HashMap<>(extra);
        data.put("epoch", epoch);
        data.put("metrics", metrics);
        data.put("fitness", fitness);
        data.put("best_fitness", fitness);
        data.put("system", Map.of("cpu", 50, "ram", 30));
        return Map.of("event", "epoch_end", "modelId", modelId, "data", data);
    }

    private static JsonPath event(Caller caller, Map<String, Object> body) {
        return as(caller).body(body)
                .post("/api/webhooks/training/metrics")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    private List<String> eventTypes(String runId) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select event_type from outbox_event where message_key = ? order by seq")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
        }
        return types;
    }
}
