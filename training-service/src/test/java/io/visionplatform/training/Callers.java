package io.visionplatform.training;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.common.testing.TestIdentity;
import io.visionplatform.training.testing.FakePlatform;

/** Callers as the gateway vouches for them, and what the fake model and dataset services hold for them. */
final class Callers {

    private Callers() {
    }

    record Caller(String accountId, String username, Header header) {
    }

    static Caller newCaller() {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String account = "account_" + username;
        return new Caller(account, username, TestIdentity.header(account, username, Set.of("training", "models")));
    }

    static RequestSpecification as(Caller caller) {
        return given().header(caller.header()).contentType(ContentType.JSON);
    }

    static String untrainedModel(Caller owner) {
        String id = "model_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        fake("models", Map.of("id", id, "accountId", owner.accountId(), "slug", "m-" + id.substring(6, 12),
                "projectId", "project_1", "status", "untrained", "architecture", "yolo11n.yaml"));
        return id;
    }

    static String ptModel(Caller owner) {
        String id = "model_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        fake("models", Map.of("id", id, "accountId", owner.accountId(), "slug", "m-" + id.substring(6, 12),
                "projectId", "project_1", "status", "ready", "format", "pt"));
        return id;
    }

    static String dataset(Caller owner) {
        String id = "dataset_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        fake("datasets", Map.of("id", id, "accountId", owner.accountId(), "slug", "shapes", "task", "detect",
                "imageCount", 8));
        return id;
    }

    static Map<String, Object> start(String modelId, String datasetId) {
        return Map.of("modelId", modelId, "datasetId", datasetId, "epochs", 3, "imageSize", 160, "gpuType", "cpu");
    }

    private static void fake(String what, Map<String, Object> body) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post(FakePlatform.url() + "/fake/" + what)
                .then()
                .statusCode(200);
    }
}
