package io.visionplatform.dataset;

import static io.restassured.RestAssured.given;

import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.specification.RequestSpecification;
import io.visionplatform.common.testing.TestIdentity;

/** Callers as the gateway vouches for them: a fresh account per call, so counts and slugs are exact. */
final class Callers {

    private Callers() {
    }

    static Header newCaller() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return TestIdentity.header("account_" + suffix, "user-" + suffix, Set.of("datasets"));
    }

    static RequestSpecification as(Header caller) {
        return given().header(caller).contentType(ContentType.JSON);
    }
}
