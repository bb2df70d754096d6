package io.visionplatform.gateway;

import static io.visionplatform.gateway.GatewayApi.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
class ScopeAndRoutingTest {

    @Test
    void datasetsScopeReachesDatasetsButNotTraining() {
        String owner = GatewayApi.newAccountKey("free");
        String datasetsKey = (String) GatewayApi.createKey(owner, "datasets-only", List.of("datasets")).get("key");

        as(datasetsKey).get("/api/datasets")
                .then()
                .statusCode(200)
                .header("X-Upstream", "echo");
        as(datasetsKey).contentType(ContentType.JSON)
                .body(Map.of("modelId", "model_x", "datasetId", "dataset_y"))
                .post("/api/training/start")
                .then()
                .statusCode(403)
                .body("error.code", equalTo("FORBIDDEN"));
    }

    @Test
    void readScopeOnlyReads() {
        String owner = GatewayApi.newAccountKey("free");
        String readKey = (String) GatewayApi.createKey(owner, "reader", List.of("read")).get("key");

        as(readKey).get("/api/models").then().statusCode(200);
        as(readKey).contentType(ContentType.JSON).body("{}").post("/api/projects").then().statusCode(403);
    }

    @Test
    void servicesReceiveTheGatewaysIdentityNotTheCallersCredentials() {
        String key = GatewayApi.newAccountKey("free");
        JsonPath echoed = as(key).header("X-Request-Id", "trace-42")
                .header("X-Platform-Identity", "forged")
                .header("X-User-Id", "account_admin")
                .get("/api/datasets?page=2&limit=5")
                .then()
                .statusCode(200)
                .header("X-Request-Id", "trace-42")
                .extract()
                .jsonPath();

        assertThat(echoed.getString("uri")).isEqualTo("/api/datasets?page=2&limit=5");
        assertThat(echoed.getString("headers.x-request-id")).isEqualTo("trace-42");
        assertThat(echoed.getString("headers.x-platform-identity")).isNotEqualTo("forged").contains(".");
        assertThat(echoed.getString("headers.authorization")).isNull();
        assertThat(echoed.getString("headers.x-user-id")).isNull();
    }

    @Test
    void rateLimitHeadersAreOnLocalAndProxiedResponses() {
        String key = GatewayApi.newAccountKey("free");
        as(key).get("/api/settings")
                .then()
                .header("X-RateLimit-Limit", "60")
                .header("X-RateLimit-Remaining", notNullValue())
                .header("X-RateLimit-Reset", notNullValue());
        as(key).get("/api/models")
                .then()
                .header("X-RateLimit-Limit", "60");
    }

    @Test
    void aServiceThatIsDownIsA503InTheEnvelope() {
        String key = GatewayApi.newAccountKey("free");
        as(key).get("/api/billing/balance")
                .then()
                .statusCode(503)
                .contentType(ContentType.JSON)
                .header("Retry-After", notNullValue())
                .body("error.code", equalTo("INTERNAL_ERROR"))
                .body("error.details.service", equalTo("billing"));
    }

    @Test
    void unknownApiPathsAreNotFoundOnceAuthenticated() {
        String key = GatewayApi.newAccountKey("free");
        as(key).get("/api/nothing-here").then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void oneOpenApiDocumentDescribesTheGatewaysApiWithoutAuthentication() {
        io.restassured.RestAssured.given()
                .get("/api/openapi.json")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("Vision Platform API"))
                .body("paths.'/api/api-keys'", notNullValue())
                .body("paths.'/api/settings'", notNullValue())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
    }
}
