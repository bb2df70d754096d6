package io.visionplatform.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.identity.InternalTokens;
import io.visionplatform.common.identity.SigningKey;
import io.visionplatform.common.testing.TestIdentity;

/** The internal identity filter on a real boot: /api/ needs the gateway's token, everything else does not. */
@QuarkusTest
class IdentityFilterTest {

    private static final String WHOAMI = "/api/test/whoami";

    @Test
    void apiCallsWithoutATokenAnswer401InTheEnvelope() {
        given().header("X-Request-Id", "req-identity-1")
                .get(WHOAMI)
                .then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"))
                .body("error.requestId", equalTo("req-identity-1"));
    }

    @Test
    void bareUserIdHeadersAreNotTrusted() {
        given().header("X-Account-Id", "account_x")
                .header("X-User-Id", "alice")
                .get(WHOAMI)
                .then()
                .statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void garbageTokensAnswer401() {
        given().header(InternalIdentity.HEADER, "not.a.token")
                .get(WHOAMI)
                .then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void tokensFromAnUntrustedKeyAnswer401() {
        String forged = InternalTokens.sign(TestIdentity.DEFAULT, Duration.ofMinutes(1), SigningKey.generate());

        given().header(InternalIdentity.HEADER, forged)
                .get(WHOAMI)
                .then()
                .statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void validTokensReachTheResourceWithTheCaller() {
        given().header(TestIdentity.header("account_x", "alice", Set.of("read", "write")))
                .get(WHOAMI)
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("data.accountId", equalTo("account_x"))
                .body("data.username", equalTo("alice"))
                .body("data.scopes", containsInAnyOrder("read", "write"));
    }

    @Test
    void unknownApiRoutesAreRefusedWithoutTokenAndNotFoundWithOne() {
        given().get("/api/test/no-such-route")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        given().header(InternalIdentity.HEADER, TestIdentity.token("account_x", "alice", Set.of("read")))
                .get("/api/test/no-such-route")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void operationalAndNonApiPathsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/test/limited?limit=5").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", notNullValue());
    }
}
