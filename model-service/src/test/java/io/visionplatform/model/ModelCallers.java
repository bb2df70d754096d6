package io.visionplatform.model;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.common.testing.TestIdentity;

/** Callers as the gateway vouches for them (a fresh account each), and the calls the tests repeat. */
final class ModelCallers {

    private ModelCallers() {
    }

    static Header newCaller() {
        return newCaller("user-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static Header newCaller(String username) {
        return TestIdentity.header("account_" + username, username, Set.of("models"));
    }

    static RequestSpecification as(Header caller) {
        return given().header(caller);
    }

    static String createProject(Header caller, String name) {
        return as(caller).contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .post("/api/projects")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
    }

    static Response uploadModel(Header caller, String projectId, String name, Path file) {
        return as(caller).multiPart("file", file.toFile())
                .multiPart("projectId", projectId)
                .multiPart("name", name)
                .post("/api/models");
    }

    static String uploadedModel(Header caller, String projectId, String name, Path file) {
        return uploadModel(caller, projectId, name, file).then()
                .statusCode(201)
                .extract()
                .path("data.id");
    }

    static Response predict(Header caller, String modelId, Path image, Map<String, Object> parameters) {
        RequestSpecification request = as(caller).multiPart("file", image.toFile());
        parameters.forEach((name, value) -> request.multiPart(name, value.toString()));
        return request.post("/api/models/{id}/predict", modelId);
    }
}
