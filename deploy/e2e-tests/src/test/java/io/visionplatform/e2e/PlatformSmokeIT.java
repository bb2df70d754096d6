package io.visionplatform.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The README's first command, run for real on the packaged services: the stack and the six services come
 * up, the gateway reports every one of them UP, and after a {@code kill -9} of the Kafka broker the same
 * command brings the platform back with no manual cleanup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformSmokeIT {

    private static final Path ROOT = Path.of(System.getProperty("platform.root", "../..")).toAbsolutePath().normalize();
    private static final Path DATA = Path.of(System.getenv().getOrDefault("PLATFORM_DATA_DIR",
            ROOT.resolve(".data").toString()));
    private static final List<String> SERVICES = List.of("gateway", "datasets", "models", "training",
            "deployments", "billing");

    @BeforeAll
    static void startPlatform() {
        String output = platform("start", "--no-build");
        assertThat(output).contains("Gateway:");
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = Integer.parseInt(System.getenv().getOrDefault("PLATFORM_GATEWAY_PORT", "8080"));
    }

    @AfterAll
    static void stopServices() {
        platform("stop", "--services");
    }

    @Test
    @Order(1)
    void allSixServicesAreUpThroughTheGateway() {
        List<Map<String, Object>> services = given().get("/api/health")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("data.status", equalTo("UP"))
                .extract()
                .jsonPath()
                .getList("data.services");

        assertThat(services).extracting(service -> service.get("name")).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(services).allSatisfy(service -> assertThat(service.get("status")).isEqualTo("UP"));
    }

    @Test
    @Order(2)
    void gatewayAnswersUnknownRoutesInTheEnvelope() {
        given().header("X-Request-Id", "smoke-1")
                .get("/api/no-such-route")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .header("X-Request-Id", "smoke-1")
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    @Order(3)
    void platformRecoversFromAKilledKafkaBroker() throws Exception {
        // The pidfile holds "PID STARTTIME" (deploy/lib.sh).
        long brokerPid = Long.parseLong(Files.readString(DATA.resolve("run/kafka.pid")).trim().split("\\s+")[0]);
        ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(brokerPid)).start().waitFor();
        broker.onExit().get(30, TimeUnit.SECONDS);

        awaitPlatformStatus("DOWN", Duration.ofSeconds(90));
        platform("start", "--no-build");

        given().get("/api/health").then().statusCode(200).body("data.status", equalTo("UP"));
    }

    private static void awaitPlatformStatus(String status, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String current = given().get("/api/health").then().extract().path("data.status");
            if (status.equals(current)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("platform health never became " + status);
    }

    private static String platform(String... arguments) {
        try {
            Path log = Files.createTempFile("platform", ".log");
            List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("platform").toString()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(6, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("./platform " + String.join(" ", arguments) + " timed out:\n"
                        + Files.readString(log));
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                throw new AssertionError("./platform " + String.join(" ", arguments) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
