package io.visionplatform.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.testing.TestIdentity;

/** Every failure a client can provoke answers in the contract's error envelope, never HTML or a stack trace. */
@QuarkusTest
class ErrorEnvelopeTest {

    @Test
    void unknownRouteIsNotFoundInTheEnvelope() {
        given().header(InternalIdentity.HEADER, TestIdentity.token("account_x", "alice", Set.of("read")))
                .get("/api/no-such-thing")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.requestId", startsWith("req_"));
    }

    @Test
    void unknownRouteOutsideApiIsAlsoEnveloped() {
        given().get("/nothing/here.html")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void wrongMethodIsEnveloped() {
        given().delete("/test/widgets")
                .then()
                .statusCode(405)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void malformedJsonIsAValidationError() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"a\", ")
                .post("/test/widgets")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.message", containsString("not valid JSON"));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"a\", \"size\": \"large\"}")
                .post("/test/widgets")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", equalTo("size"));
    }

    @Test
    void constraintViolationsCarryFieldDetails() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"\", \"size\": 99}")
                .post("/test/widgets")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.fields.name", notNullValue())
                .body("error.details.fields.size", containsString("less than or equal to 10"));
    }

    @Test
    void queryParameterViolationsNameTheParameter() {
        given().queryParam("limit", 0)
                .get("/test/limited")
                .then()
                .statusCode(400)
                .body("error.details.fields.limit", notNullValue());
    }

    @Test
    void oversizedBodyIsEnveloped() {
        String big = "{\"name\": \"" + "x".repeat(100 * 1024) + "\"}";
        given().contentType(ContentType.JSON)
                .body(big)
                .post("/test/widgets")
                .then()
                .statusCode(413)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void unsupportedMediaTypeIsEnveloped() {
        given().contentType(ContentType.XML)
                .body("<name>x</name>")
                .post("/test/widgets")
                .then()
                .statusCode(415)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void platformExceptionKeepsItsCodeAndDetails() {
        given().contentType(ContentType.JSON)
                .put("/test/widgets/widget_missing/name/new")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.details.id", equalTo("widget_missing"));
    }

    @Test
    void unexpectedFailureHidesInternals() {
        given().get("/test/boom")
                .then()
                .statusCode(500)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("INTERNAL_ERROR"))
                .body("error.message", equalTo("Internal server error"))
                .body(not(containsString("secret internal detail")))
                .body(not(containsString("at io.visionplatform")));
    }

    @Test
    void clientRequestIdIsEchoedOnSuccessAndError() {
        given().header("X-Request-Id", "client-abc-123")
                .contentType(ContentType.JSON)
                .body("{\"name\": \"echo\"}")
                .post("/test/widgets")
                .then()
                .statusCode(200)
                .header("X-Request-Id", "client-abc-123")
                .body("success", equalTo(true))
                .body("data.name", equalTo("echo"));

        given().header("X-Request-Id", "client-abc-456")
                .get("/api/missing")
                .then()
                .header("X-Request-Id", "client-abc-456")
                .body("error.requestId", equalTo("client-abc-456"));
    }

    @Test
    void malformedRequestIdIsReplaced() {
        given().header("X-Request-Id", "bad id with spaces <script>")
                .get("/api/missing")
                .then()
                .header("X-Request-Id", startsWith("req_"));
    }
}
