package io.visionplatform.e2e;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;

/** New accounts made with the admin key, each with its first API key. */
final class Accounts {

    private Accounts() {
    }

    static String newKey(String adminKey, String username) {
        return given().header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body(Map.of("username", username, "plan", "pro"))
                .post("/api/admin/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("data.apiKey.key");
    }
}
