package io.visionplatform.gateway;

import static io.visionplatform.gateway.GatewayApi.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
class ApiKeyLifecycleTest {

    @Test
    void keyIsShownOnceListedByPrefixAndDiesWithinASecondOfRevocation() throws InterruptedException {
        String owner = GatewayApi.newAccountKey("free");
        Map<String, Object> created = GatewayApi.createKey(owner, "training-server", List.of("training", "models"));
        String key = (String) created.get("key");
        String keyId = (String) created.get("id");

        assertThat(key).matches("ul_[0-9a-f]{40}");
        assertThat(created.get("prefix")).isEqualTo(key.substring(0, 11));
        as(key).get("/api/settings").then().statusCode(200).body("success", equalTo(true));

        String listing = as(owner).get("/api/api-keys").then().statusCode(200).extract().asString();
        assertThat(listing).contains(key.substring(0, 11)).doesNotContain(key).doesNotContain("\"key\"");

        as(owner).delete("/api/api-keys/{id}", keyId).then().statusCode(200);
        long revokedAt = System.nanoTime();
        int status = 200;
        while (status == 200 && System.nanoTime() - revokedAt < 1_000_000_000L) {
            status = as(key).get("/api/settings").then().extract().statusCode();
            if (status == 200) {
                Thread.sleep(50);
            }
        }
        assertThat(status).as("revoked key refused within 1 s").isEqualTo(401);
        as(key).get("/api/settings")
                .then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void settingsAnswersTheSdkLoginCheck() {
        GatewayApi.NewAccount account = GatewayApi.newAccount("pro", Map.of());
        as(account.apiKey()).get("/api/settings")
                .then()
                .statusCode(200)
                .body("data.username", equalTo(account.username()))
                .body("data.plan", equalTo("pro"))
                .body("data.rateLimits.perMinute", equalTo(300));
        as("ul_" + "f".repeat(40)).get("/api/settings").then().statusCode(401);
        as("not-a-key").get("/api/settings").then().statusCode(401);
        io.restassured.RestAssured.given().get("/api/settings")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"))
                .header("X-RateLimit-Limit", notNullValue());
    }

    @Test
    void anotherAccountsKeyIsNotFound() {
        String alice = GatewayApi.newAccountKey("free");
        String bob = GatewayApi.newAccountKey("free");
        String aliceKeyId = (String) GatewayApi.createKey(alice, "mine", List.of("read")).get("id");

        as(bob).delete("/api/api-keys/{id}", aliceKeyId)
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void keysNeverGrantMoreThanTheirOwnerHas() {
        String user = GatewayApi.newAccountKey("free");
        as(user).contentType(ContentType.JSON)
                .body(Map.of("name", "sneaky", "scopes", List.of("admin")))
                .post("/api/api-keys")
                .then()
                .statusCode(403)
                .body("error.code", equalTo("FORBIDDEN"));
        as(user).contentType(ContentType.JSON)
                .body(Map.of("username", "nope-123"))
                .post("/api/admin/accounts")
                .then()
                .statusCode(403);
    }

    @Test
    void invalidScopesAndNamesAreValidationErrors() {
        String user = GatewayApi.newAccountKey("free");
        as(user).contentType(ContentType.JSON)
                .body(Map.of("name", "", "scopes", List.of("everything")))
                .post("/api/api-keys")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.fields.name", notNullValue())
                .body("error.details.fields", not(equalTo(null)))
                .body(containsString("scopes"));
    }
}
