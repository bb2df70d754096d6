package io.visionplatform.gateway;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Test helpers that drive the gateway the way a client does. */
final class GatewayApi {

    /** The bootstrap admin key of the test profile (application.properties). */
    static final String ADMIN_KEY = "ul_00000000000000000000000000000000000000a1";

    private GatewayApi() {
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** A new account on the given plan; returns its first API key. */
    static String newAccountKey(String plan) {
        return newAccount(plan, Map.of()).apiKey();
    }

    record NewAccount(String accountId, String username, String apiKey) {
    }

    static NewAccount newAccount(String plan, Map<String, Object> extra) {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("username", username);
        body.put("plan", plan);
        var response = as(ADMIN_KEY).contentType(ContentType.JSON)
                .body(body)
                .post("/api/admin/accounts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new NewAccount(response.getString("data.account.id"), username, response.getString("data.apiKey.key"));
    }

    static Map<String, Object> createKey(String ownerKey, String name, List<String> scopes) {
        return as(ownerKey).contentType(ContentType.JSON)
                .body(Map.of("name", name, "scopes", scopes))
                .post("/api/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("data");
    }
}
