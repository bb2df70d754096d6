package io.visionplatform.gateway;

import static io.restassured.RestAssured.given;
import static io.visionplatform.gateway.GatewayApi.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.testing.TestIdentity;

/** Run-scoped keys: issued to a service for the account whose request it serves, revoked by the key itself. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
class RunKeyTest {

    @Test
    void aRunKeyActsForTheAccountWithTrainingAndModelsOnlyUntilItRevokesItself() {
        GatewayApi.NewAccount owner = GatewayApi.newAccount("free", Map.of());
        String token = identityTokenOf(owner.apiKey());

        JsonPath issued = given().header(InternalIdentity.HEADER, token)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", "run_abc", "ttlSeconds", 3600))
                .post("/internal/run-keys")
                .then()
                .statusCode(201)
                .body("runId", equalTo("run_abc"))
                .extract()
                .jsonPath();
        String key = issued.getString("key");
        assertThat(key).matches("ul_[0-9a-f]{40}");

        as(key).get("/api/settings").then().statusCode(200).body("data.username", equalTo(owner.username()));
        as(key).get("/api/webhooks/models/u/p/m/download").then().statusCode(200);
        as(key).get("/api/datasets").then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        as(key).get("/api/api-keys").then().statusCode(403);

        // another key of the same account cannot end the run's key, nor can it end another run's
        as(owner.apiKey()).delete("/internal/run-keys/run_abc").then().statusCode(404);
        as(key).delete("/internal/run-keys/run_other").then().statusCode(404);

        as(key).delete("/internal/run-keys/run_abc").then().statusCode(200).body("revoked", equalTo(true));
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            status = as(key).get("/api/settings").then().extract().statusCode();
        }
        assertThat(status).as("revoked run key refused").isEqualTo(401);
    }

    @Test
    void onlyAServiceHoldingTheGatewaysTokenGetsARunKey() {
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", "run_x"))
                .post("/internal/run-keys")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        // signed, but not by this gateway
        given().header(TestIdentity.header("account_x", "x", Set.of("training")))
                .contentType(ContentType.JSON)
                .body(Map.of("runId", "run_x"))
                .post("/internal/run-keys")
                .then()
                .statusCode(401);
        given().header(InternalIdentity.HEADER, identityTokenOf(GatewayApi.newAccountKey("free")))
                .contentType(ContentType.JSON)
                .body(Map.of("runId", "../../etc"))
                .post("/internal/run-keys")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void theServicesInternalPathsAreNotRouted() {
        String admin = GatewayApi.ADMIN_KEY;
        as(admin).contentType(ContentType.JSON)
                .body(Map.of("project", "a/b", "name", "c"))
                .post("/api/internal/training/models")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    /** What a service receives: the echo upstream answers the identity token the gateway forwarded. */
    private static String identityTokenOf(String apiKey) {
        return as(apiKey).get("/api/models/whatever")
                .then()
                .statusCode(200)
                .extract()
                .path("headers.'x-platform-identity'");
    }
}
