package io.visionplatform.model;

import static io.visionplatform.model.ModelCallers.as;
import static io.visionplatform.model.ModelCallers.createProject;
import static io.visionplatform.model.ModelCallers.newCaller;
import static io.visionplatform.model.ModelCallers.predict;
import static io.visionplatform.model.ModelCallers.uploadModel;
import static io.visionplatform.model.ModelCallers.uploadedModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.TorchScriptDetector;
import io.visionplatform.vision.image.ImageDecoder;

/** Projects and models over HTTP: upload metadata, files, bad input, trash and another account's ids. */
@QuarkusTest
class ModelResourceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "yolov8n-shapes4, false", "yolo11n-shapes4, false", "yolo26n-shapes4, true" })
    void anOnnxUploadFillsTaskClassesAndSize(String fixture, boolean end2end) throws Exception {
        Header caller = newCaller();
        String projectId = createProject(caller, "Uploads");
        Path file = Fixtures.modelFile(fixture, "model.onnx");

        String id = uploadModel(caller, projectId, "Shapes " + fixture, file).then()
                .statusCode(201)
                .body("data.task", equalTo("detect"))
                .body("data.status", equalTo("ready"))
                .body("data.format", equalTo("onnx"))
                .body("data.classNames", equalTo(List.of("circle", "square", "triangle", "cross")))
                .body("data.imgsz", equalTo(192))
                .body("data.stride", equalTo(32))
                .body("data.end2end", equalTo(end2end))
                .body("data.fileSize", equalTo((int) Files.size(file)))
                .body("data.projectId", equalTo(projectId))
                .extract()
                .path("data.id");

        String url = as(caller).get("/api/models/{id}/files", id)
                .then()
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].kind", equalTo("weights"))
                .body("data[0].fileName", endsWith(".onnx"))
                .body("data[0].expiresAt", notNullValue())
                .extract()
                .path("data[0].url");
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Files.readAllBytes(file));
        as(caller).get("/api/models?projectId={p}&task=detect", projectId).then().body("meta.total", equalTo(1));
        as(caller).get("/api/projects/{id}", projectId).then().body("data.modelCount", equalTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "yolov8n-shapes4, false", "yolo11n-shapes4, false", "yolo26n-shapes4, true" })
    void aCheckpointUploadIsReadWithoutRunningIt(String fixture, boolean end2end) throws Exception {
        Header caller = newCaller();
        String projectId = createProject(caller, "Checkpoints");
        Path file = Fixtures.modelFile(fixture, "best.pt");

        uploadModel(caller, projectId, "best " + fixture, file).then()
                .statusCode(201)
                .body("data.format", equalTo("pt"))
                .body("data.task", equalTo("detect"))
                .body("data.classNames", equalTo(List.of("circle", "square", "triangle", "cross")))
                .body("data.imgsz", equalTo(192))
                .body("data.stride", equalTo(32))
                .body("data.end2end", equalTo(end2end))
                .body("data.fileSize", equalTo((int) Files.size(file)));
    }

    @Test
    void aCheckpointWithAHostilePickleIsRefused() throws IOException {
        Header caller = newCaller();
        String projectId = createProject(caller, "Hostile");
        // A zip holding a pickle that asks for os.system: the reader refuses the global, nothing runs.
        Path hostile = work.resolve("hostile.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(hostile))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("best/data.pkl"));
            zip.write(new byte[] { (byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', 'X', 4, 0, 0,
                    0, 't', 'r', 'u', 'e', (byte) 0x85, 'R', '.' });
            zip.closeEntry();
        }
        uploadModel(caller, projectId, "hostile", hostile).then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    /** The TorchScript fixture (traced with torch 1.13, see vision-core) runs on DJL behind the same endpoint. */
    @Test
    void aTorchScriptUploadPredictsLikeTheLibraryDoes() throws Exception {
        Header caller = newCaller();
        String projectId = createProject(caller, "TorchScript");
        Path file = work.resolve("tiny-detect.torchscript");
        try (var fixture = getClass().getResourceAsStream("/torchscript/tiny-detect.torchscript")) {
            Files.copy(fixture, file);
        }
        String modelId = uploadModel(caller, projectId, "tiny", file).then()
                .statusCode(201)
                .body("data.format", equalTo("torchscript"))
                .body("data.imgsz", equalTo(192))
                .body("data.classNames", equalTo(List.of("circle", "square", "triangle", "cross")))
                .extract()
                .path("data.id");
        Path image = Fixtures.image("predict_02_192x192.jpg");

        List<Map<String, Object>> predicted = predict(caller, modelId, image, Map.of()).then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("predictions");

        List<Detection> expected;
        try (TorchScriptDetector detector = TorchScriptDetector.load(file)) {
            expected = detector.predict(ImageDecoder.read(image));
        }
        assertThat(predicted).isNotEmpty().hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(predicted.get(i).get("class")).isEqualTo(expected.get(i).className());
            assertThat(((Number) predicted.get(i).get("confidence")).doubleValue())
                    .isCloseTo(expected.get(i).confidence(), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void anArchitectureMakesAnUntrainedModel() {
        Header caller = newCaller();
        String projectId = createProject(caller, "Fresh");
        as(caller).multiPart("projectId", projectId)
                .multiPart("name", "from scratch")
                .multiPart("architecture", "yolo11n.yaml")
                .post("/api/models")
                .then()
                .statusCode(201)
                .body("data.status", equalTo("untrained"))
                .body("data.architecture", equalTo("yolo11n.yaml"))
                .body("data.slug", equalTo("from-scratch"));
        as(caller).multiPart("projectId", projectId)
                .multiPart("name", "bad")
                .multiPart("architecture", "resnet50.yaml")
                .post("/api/models")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void badModelFilesAreRefusedAndTheServiceStaysHealthy() throws IOException {
        Header caller = newCaller();
        String projectId = createProject(caller, "Bad files");
        Path onnx = Fixtures.modelFile("yolo11n-shapes4", "model.onnx");
        Path text = Files.writeString(work.resolve("notes.onnx"), "this is not a model\n");
        Path truncated = work.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(onnx), 100_000));
        Path empty = Files.createFile(work.resolve("empty.onnx"));
        Path exe = Files.write(work.resolve("setup.exe"), new byte[] { 'M', 'Z', 0, 0 });
        Path fakeTorchScript = Files.writeString(work.resolve("model.torchscript"), "PK but not really");

        for (Path bad : List.of(text, truncated, empty, exe, fakeTorchScript)) {
            uploadModel(caller, projectId, "bad", bad).then()
                    .statusCode(400)
                    .body("error.code", equalTo("VALIDATION_ERROR"))
                    .body("error.details.fields.file", notNullValue());
        }
        as(caller).multiPart("projectId", projectId)
                .multiPart("name", "nothing")
                .post("/api/models")
                .then()
                .statusCode(400);
        as(caller).multiPart("file", onnx.toFile())
                .multiPart("name", "no project")
                .post("/api/models")
                .then()
                .statusCode(400)
                .body("error.details.fields", notNullValue());
        as(caller).get("/api/models?projectId={p}", projectId).then().body("meta.total", equalTo(0));
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void badImagesAreRefusedAndTheServiceStaysHealthy() throws Exception {
        Header caller = newCaller();
        String projectId = createProject(caller, "Bad images");
        String modelId = uploadedModel(caller, projectId, "m", Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));
        Path corrupt = Files.write(work.resolve("corrupt.jpg"), "\u00ff\u00d8\u00ff garbage".getBytes());
        Path empty = Files.createFile(work.resolve("empty.jpg"));
        Path text = Files.writeString(work.resolve("notes.txt"), "hello");
        Path huge = work.resolve("huge.jpg");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L << 20);
        }

        for (Path bad : List.of(corrupt, empty, text, huge)) {
            predict(caller, modelId, bad, Map.of()).then()
                    .statusCode(400)
                    .body("error.code", equalTo("VALIDATION_ERROR"));
        }
        predict(caller, modelId, Fixtures.image("predict_02_192x192.jpg"), Map.of("conf", 1.5)).then().statusCode(400);
        as(caller).multiPart("image", Fixtures.image("predict_02_192x192.jpg").toFile())
                .post("/api/models/{id}/predict", modelId)
                .then()
                .statusCode(400);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        predict(caller, modelId, Fixtures.image("predict_02_192x192.jpg"), Map.of()).then().statusCode(200);
        assertThat(outboxEventTypes(modelId)).containsOnlyOnce("inference.used").contains("model.created",
                "storage.changed");
    }

    /** The event types the outbox holds for one model, read with plain JDBC. */
    private List<String> outboxEventTypes(String modelId) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement query = connection
                        .prepareStatement("select event_type from outbox_event where message_key = ? order by seq")) {
            query.setString(1, modelId);
            List<String> types = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
            return types;
        }
    }

    /** One inference thread and a queue of two (test profile): a burst gets 503 + Retry-After, not a pile-up. */
    @Test
    void aSaturatedPredictPoolAnswers503WithRetryAfter() throws Exception {
        Header caller = newCaller();
        String projectId = createProject(caller, "Burst");
        String modelId = uploadedModel(caller, projectId, "m", Fixtures.modelFile("yolo11n-shapes4", "model.onnx"));
        Path large = work.resolve("large.png");
        BufferedImage pixels = new BufferedImage(2400, 2400, BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(3);
        for (int y = 0; y < pixels.getHeight(); y++) {
            for (int x = 0; x < pixels.getWidth(); x++) {
                pixels.setRGB(x, y, noise.nextInt());
            }
        }
        ImageIO.write(pixels, "png", large.toFile());

        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Response>> burst = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                burst.add(clients.submit(() -> predict(caller, modelId, large, Map.of())));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> answer : burst) {
                answers.add(answer.get(120, TimeUnit.SECONDS));
            }
            List<Response> refused = answers.stream()
                    .filter(answer -> answer.statusCode() == 503)
                    .toList();
            assertThat(answers).extracting(Response::statusCode).containsOnly(200, 503).contains(200);
            assertThat(refused).isNotEmpty();
            refused.forEach(answer -> {
                assertThat(answer.header("Retry-After")).isEqualTo("1");
                assertThat(answer.jsonPath().getString("error.code")).isEqualTo("INTERNAL_ERROR");
            });
        } finally {
            clients.shutdownNow();
        }
        predict(caller, modelId, Fixtures.image("predict_02_192x192.jpg"), Map.of()).then().statusCode(200);
    }

    @Test
    void anotherAccountsProjectsAndModelsAreNotFoundEverywhere() {
        Header owner = newCaller();
        String projectId = createProject(owner, "Mine");
        Path onnx = Fixtures.modelFile("yolov8n-shapes4", "model.onnx");
        String modelId = uploadedModel(owner, projectId, "mine", onnx);
        Header stranger = newCaller();

        List<Response> answers = List.of(
                as(stranger).get("/api/projects/{id}", projectId),
                as(stranger).delete("/api/projects/{id}", projectId),
                as(stranger).get("/api/models/{id}", modelId),
                as(stranger).delete("/api/models/{id}", modelId),
                as(stranger).get("/api/models/{id}/files", modelId),
                predict(stranger, modelId, Fixtures.image("predict_02_192x192.jpg"), Map.of()),
                uploadModel(stranger, projectId, "intruder", onnx),
                as(stranger).contentType(ContentType.JSON)
                        .body(Map.of("itemId", modelId, "type", "model"))
                        .post("/api/trash/restore"));
        for (Response answer : answers) {
            answer.then()
                    .statusCode(404)
                    .body("error.code", equalTo("NOT_FOUND"));
        }
        as(stranger).get("/api/models?projectId={p}", projectId).then().body("meta.total", equalTo(0));
        as(owner).get("/api/models/{id}", modelId).then().statusCode(200);
    }

    @Test
    void aProjectGoesToTheTrashWithItsModelsAndComesBackWithThem() throws Exception {
        Header caller = newCaller();
        String projectId = createProject(caller, "Trash me");
        String modelId = uploadedModel(caller, projectId, "m", Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));
        String url = as(caller).get("/api/models/{id}/files", modelId).then().extract().path("data[0].url");

        as(caller).delete("/api/projects/{id}", projectId).then().statusCode(200).body("data.type", equalTo("project"));
        as(caller).get("/api/models/{id}", modelId).then().statusCode(404);
        as(caller).get("/api/trash").then().body("data.id", hasItem(projectId));
        as(caller).contentType(ContentType.JSON)
                .body(Map.of("itemId", projectId, "type", "project"))
                .post("/api/trash/restore")
                .then()
                .statusCode(200);
        as(caller).get("/api/models/{id}", modelId).then().statusCode(200);

        as(caller).delete("/api/models/{id}", modelId).then().statusCode(200);
        as(caller).get("/api/trash").then().body("data.id", hasItem(modelId));
        as(caller).post("/api/trash/empty").then().statusCode(200).body("data.deleted", equalTo(1));
        HttpResponse<byte[]> gone = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gone.statusCode()).isEqualTo(404);
        as(caller).get("/api/projects/{id}", projectId).then().statusCode(200).body("data.modelCount", equalTo(0));
    }

    @Test
    void theSdkDownloadRedirectsToThePtFile() throws Exception {
        String username = "sdk-" + System.nanoTime();
        Header caller = newCaller(username);
        String projectId = createProject(caller, "SDK Project");
        Path best = Fixtures.modelFile("yolo11n-shapes4", "best.pt");
        uploadedModel(caller, projectId, "shapes", best);
        uploadedModel(caller, projectId, "onnx only", Fixtures.modelFile("yolov8n-shapes4", "model.onnx"));

        for (String method : List.of("GET", "HEAD")) {
            String location = as(caller).redirects()
                    .follow(false)
                    .request(method, "/api/webhooks/models/{user}/{project}/{model}/download", username, "sdk-project",
                            "shapes")
                    .then()
                    .statusCode(302)
                    .extract()
                    .header("Location");
            assertThat(URI.create(location).getPath()).endsWith(".pt");
            HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.body()).isEqualTo(Files.readAllBytes(best));
        }

        as(caller).redirects()
                .follow(false)
                .get("/api/webhooks/models/{user}/{project}/{model}/download", username, "sdk-project", "onnx-only")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        as(newCaller()).redirects()
                .follow(false)
                .head("/api/webhooks/models/{user}/{project}/{model}/download", username, "sdk-project", "onnx-only")
                .then()
                .statusCode(404);
    }
}
