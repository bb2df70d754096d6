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
import org.junit.jupiter.api.io.TempDir;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

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
    private static final String KEYCLOAK = "http://127.0.0.1:8180/realms/platform/protocol/openid-connect/token";
    private static String adminKey;
    private static final List<String> SERVICES = List.of("gateway", "datasets", "models", "training",
            "deployments", "billing");

    @BeforeAll
    static void startPlatform() throws IOException {
        String output = platform("start", "--no-build", "--with-keycloak");
        assertThat(output).contains("Gateway:");
        adminKey = Files.readString(DATA.resolve("secrets/bootstrap-api-key")).trim();
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
                .header("Authorization", "Bearer " + adminKey)
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
    void theBootstrapKeyPassesTheSdkLoginCheck() {
        given().header("Authorization", "Bearer " + adminKey)
                .get("/api/settings")
                .then()
                .statusCode(200)
                .body("data.role", equalTo("admin"));
        given().header("Authorization", "Bearer ul_" + "0".repeat(40)).get("/api/settings").then().statusCode(401);
    }

    @Test
    @Order(4)
    void servicesTrustTheGatewaysTokenAndNothingElse() {
        // Through the gateway: the dataset service verifies the minted token (via the gateway's JWKS) and,
        // having no such route yet, answers 404 rather than 401.
        given().header("Authorization", "Bearer " + adminKey)
                .get("/api/datasets/dataset_none/nothing")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        // Straight to the service port: no token, or a forged one, is refused.
        given().port(8081).get("/api/datasets").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        given().port(8081)
                .header("X-Platform-Identity", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhY2NvdW50X3gifQ.")
                .header("X-User-Id", "account_admin")
                .get("/api/datasets")
                .then()
                .statusCode(401);
    }

    @Test
    @Order(5)
    void aKeycloakUserCreatesAnApiKeyThatWorks() {
        String accessToken = given().baseUri("http://127.0.0.1")
                .port(8180)
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "platform-gateway")
                .formParam("client_secret", "platform-gateway-local")
                .formParam("username", "demo")
                .formParam("password", "demo-password")
                .post(KEYCLOAK)
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");

        String key = given().header("Authorization", "Bearer " + accessToken)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "from-keycloak", "scopes", List.of("datasets", "models")))
                .post("/api/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("data.key");

        given().header("Authorization", "Bearer " + key)
                .get("/api/settings")
                .then()
                .statusCode(200)
                // "demo", or "demo-2"… when an earlier Keycloak's demo user already holds the name in this database.
                .body("data.username", org.hamcrest.Matchers.matchesPattern("demo(-[0-9]+)?"));
        given().header("Authorization", "Bearer " + accessToken.substring(0, accessToken.length() - 4) + "AAAA")
                .get("/api/settings")
                .then()
                .statusCode(401);
    }

    @Test
    @Order(6)
    void twoGatewaysSharingRedisEnforceOneExactLimit() throws InterruptedException {
        assertThat(platform("replica", "18090")).contains("18090");
        String freeKey = given().header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body(Map.of("username", "free-" + System.nanoTime() % 1_000_000, "plan", "free"))
                .post("/api/admin/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("data.apiKey.key");

        // The windows are fixed minutes (Redis clock = this machine's): keep the 100 requests inside one minute.
        int second = java.time.LocalTime.now().getSecond();
        if (second > 45) {
            Thread.sleep((61 - second) * 1000L);
        }
        int allowed = 0;
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            Response response = given().port(i % 2 == 0 ? RestAssured.port : 18090)
                    .header("Authorization", "Bearer " + freeKey)
                    .get("/api/settings");
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo("60");
            assertThat(response.header("X-RateLimit-Remaining")).isNotNull();
            assertThat(response.header("X-RateLimit-Reset")).isNotNull();
            if (response.statusCode() == 200) {
                allowed++;
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.header("Retry-After")).isNotNull();
                assertThat(response.jsonPath().getString("error.code")).isEqualTo("RATE_LIMITED");
                limited++;
            }
        }
        assertThat(allowed).as("allowed of 100 across two gateways").isEqualTo(60);
        assertThat(limited).isEqualTo(40);
    }

    @Test
    @Order(7)
    void datasetsThroughTheGatewayGoToTheTrashAndBack() {
        String id = given().header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "e2e shapes " + System.nanoTime(), "task", "detect"))
                .post("/api/datasets")
                .then()
                .statusCode(201)
                .extract()
                .path("data.id");
        given().header("Authorization", "Bearer " + adminKey).delete("/api/datasets/{id}", id).then().statusCode(200);
        given().header("Authorization", "Bearer " + adminKey)
                .get("/api/trash")
                .then()
                .statusCode(200)
                .body("data.find { it.id == '" + id + "' }.type", equalTo("dataset"));

        given().header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body(Map.of("itemId", id, "type", "dataset"))
                .post("/api/trash")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(id));
        given().header("Authorization", "Bearer " + adminKey).get("/api/datasets/{id}", id).then().statusCode(200);

        given().header("Authorization", "Bearer " + adminKey).delete("/api/datasets/{id}", id).then().statusCode(200);
        given().header("Authorization", "Bearer " + adminKey).post("/api/trash/empty").then().statusCode(200);
        given().header("Authorization", "Bearer " + adminKey).get("/api/datasets/{id}", id).then().statusCode(404);
        given().header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body(Map.of("itemId", id, "type", "dataset"))
                .post("/api/trash")
                .then()
                .statusCode(404);
    }

    @Test
    @Order(8)
    void aDatasetUploadedThroughTheGatewayComesBackExactlyThroughItsExport(@TempDir Path work) throws Exception {
        DatasetJourney.run(adminKey, work);
    }

    @Test
    @Order(9)
    void aModelUploadedThroughTheGatewayPredictsLikeUltralytics() throws Exception {
        ModelJourney.run(adminKey);
    }

    @Test
    @Order(10)
    void anSdkTrainingRunReplayedThroughTheGatewayMakesAPredictingModel() throws Exception {
        TrainingJourney.sdkReplay(adminKey);
    }

    @Test
    @Order(11)
    void trainingStartRefusesBadInputInTheEnvelope() {
        TrainingJourney.startValidation(adminKey);
    }

    @Test
    @Order(12)
    void aManagedRunTrainsThreeEpochsAndThePredictUsesTheTrainedModel(@TempDir Path work) throws Exception {
        TrainingJourney.trainAndPredict(adminKey, work);
    }

    @Test
    @Order(13)
    void aCancelledRunStopsWithinTenSeconds(@TempDir Path work) throws Exception {
        TrainingJourney.cancelWithinTenSeconds(adminKey, work);
    }

    @Test
    @Order(14)
    void aRunSurvivesAKilledTrainingService(@TempDir Path work) throws Exception {
        TrainingJourney.survivesAKilledTrainingService(adminKey, work, DATA, () -> platform("start", "--no-build"));
    }

    @Test
    @Order(20)
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
