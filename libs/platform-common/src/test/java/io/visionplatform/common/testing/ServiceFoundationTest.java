package io.visionplatform.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * What every service promises from the foundation, checked against the real PostgreSQL and Kafka: readiness
 * that includes both, liveness, its OpenAPI document, Prometheus metrics, and the error envelope. A service's
 * test extends this with {@code @QuarkusTest}; it is shipped in platform-common's test-jar.
 */
public abstract class ServiceFoundationTest {

    @Test
    void readinessIsUpAndCoversDatabaseAndKafka() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check",
                        "Kafka connection health check"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void openApiDocumentIsServed() {
        given().accept(ContentType.JSON)
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("openapi", containsString("3."));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void apiCallsWithoutTheGatewaysTokenAreRefused() {
        given().get("/api/anything-at-all")
                .then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void unknownRoutesAnswerInTheErrorEnvelope() {
        given().get("/definitely-not-a-route")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
    }
}
