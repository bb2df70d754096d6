package io.visionplatform.training;

import static io.restassured.RestAssured.given;
import static io.visionplatform.training.Callers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.training.Callers.Caller;
import io.visionplatform.training.testing.FakePlatform;

@QuarkusTest
class TrainingStartTest {

    @Test
    void startQueuesARunOfAnArchitectureOnTheDatasetsExport() {
        Caller alice = Callers.newCaller();
        String model = Callers.untrainedModel(alice);
        String dataset = Callers.dataset(alice);

        String runId = as(alice).body(Callers.start(model, dataset))
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .body("success", equalTo(true))
                .body("data.status", equalTo("queued"))
                .body("data.modelId", equalTo(model))
                .body("data.datasetId", equalTo(dataset))
                .body("data.gpuType", equalTo("cpu"))
                .body("data.source", equalTo("managed"))
                .body("data.progress.currentEpoch", equalTo(0))
                .body("data.progress.totalEpochs", equalTo(3))
                .extract()
                .path("data.runId");

        as(alice).get("/api/models/{id}/training", model)
                .then()
                .statusCode(200)
                .body("data.runId", equalTo(runId))
                .body("data.status", equalTo("queued"))
                .body("data.progress.percentage", equalTo(0.0f))
                .body("data.epochs.size()", equalTo(0));
    }

    @Test
    void unknownGpuTypeListsTheValidOnes() {
        Caller alice = Callers.newCaller();
        Map<String, Object> request = new HashMap<>(Callers.start(Callers.untrainedModel(alice),
                Callers.dataset(alice)));
        request.put("gpuType", "tpu-v9");
        as(alice).body(request)
                .post("/api/training/start")
                .then()
                .statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.fields.gpuType", containsString("rtx-4090"))
                .body("error.details.validGpuTypes", hasItems("cpu", "rtx-4090", "a100", "h100"));
    }

    @Test
    void epochsAndImageSizeOutOfRangeAreFieldErrors() {
        Caller alice = Callers.newCaller();
        String model = Callers.untrainedModel(alice);
        String dataset = Callers.dataset(alice);
        Map<String, Object> zeroEpochs = new HashMap<>(Callers.start(model, dataset));
        zeroEpochs.put("epochs", 0);
        as(alice).body(zeroEpochs)
                .post("/api/training/start")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.fields.epochs", notNullValue());

        Map<String, Object> oddSize = new HashMap<>(Callers.start(model, dataset));
        oddSize.put("imageSize", 100);
        as(alice).body(oddSize)
                .post("/api/training/start")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.fields.imageSize", containsString("multiple of 32"));

        Map<String, Object> tooLarge = new HashMap<>(Callers.start(model, dataset));
        tooLarge.put("imageSize", 1312);
        as(alice).body(tooLarge)
                .post("/api/training/start")
                .then()
                .statusCode(400)
                .body("error.details.fields.imageSize", notNullValue());

        as(alice).body("{\"modelId\":")
                .post("/api/training/start")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void anotherAccountsDatasetOrModelIsNotFound() {
        Caller alice = Callers.newCaller();
        Caller mallory = Callers.newCaller();
        String model = Callers.untrainedModel(alice);
        as(alice).body(Callers.start(model, Callers.dataset(mallory)))
                .post("/api/training/start")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.details.resource", equalTo("dataset"));

        as(mallory).body(Callers.start(model, Callers.dataset(mallory)))
                .post("/api/training/start")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.details.resource", equalTo("model"));

        as(mallory).get("/api/models/{id}/training", model)
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheSameRun() {
        Caller alice = Callers.newCaller();
        Map<String, Object> request = Callers.start(Callers.ptModel(alice), Callers.dataset(alice));
        String first = as(alice).header("Idempotency-Key", "start-1")
                .body(request)
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .path("data.runId");
        String again = as(alice).header("Idempotency-Key", "start-1")
                .body(request)
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .path("data.runId");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aSecondStartWhileOneIsActiveIsAConflict() {
        Caller alice = Callers.newCaller();
        Map<String, Object> request = Callers.start(Callers.untrainedModel(alice), Callers.dataset(alice));
        String runId = as(alice).body(request)
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .path("data.runId");
        as(alice).body(request)
                .post("/api/training/start")
                .then()
                .statusCode(409)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.runId", equalTo(runId));
    }

    @Test
    void cancellingAQueuedRunEndsItAndRevokesItsKey() {
        Caller alice = Callers.newCaller();
        String model = Callers.untrainedModel(alice);
        Map<String, Object> request = Callers.start(model, Callers.dataset(alice));
        String runId = as(alice).body(request)
                .post("/api/training/start")
                .then()
                .statusCode(201)
                .extract()
                .path("data.runId");
        as(alice).delete("/api/models/{id}/training", model)
                .then()
                .statusCode(200)
                .body("data.status", equalTo("cancelled"))
                .body("data.cancelRequested", equalTo(true));
        List<String> revoked = given().get(FakePlatform.url() + "/fake/revoked")
                .then()
                .extract()
                .path("$");
        assertThat(revoked).contains(runId);

        as(alice).delete("/api/models/{id}/training", model)
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        // Over, so the model can be trained again.
        as(alice).body(request)
                .post("/api/training/start")
                .then()
                .statusCode(201);
    }
}
