package io.visionplatform.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
class PlatformHealthResourceTest {

    @Test
    void reportsEachUpstreamAndIsDownWhenAnyIs() {
        given().get("/api/health")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("data.status", equalTo("DOWN"))
                .body("data.services.find { it.name == 'gateway' }.status", equalTo("UP"))
                .body("data.services.find { it.name == 'datasets' }.status", equalTo("UP"))
                .body("data.services.find { it.name == 'models' }.status", equalTo("UP"))
                .body("data.services.find { it.name == 'training' }.status", equalTo("DOWN"))
                .body("data.services.find { it.name == 'deployments' }.status", equalTo("DOWN"))
                .body("data.services.find { it.name == 'deployments' }.error", containsString("unreachable"))
                .body("data.services.find { it.name == 'billing' }.status", equalTo("DOWN"))
                .body("data.services.size()", equalTo(6));
    }

    @Test
    void aHangingUpstreamDoesNotHangTheHealthView() {
        long started = System.nanoTime();
        given().get("/api/health").then().statusCode(200);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        org.hamcrest.MatcherAssert.assertThat(elapsedMillis, lessThan(5_000L));
    }
}
