package io.visionplatform.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The running platform's public API as the benchmarks call it: through the gateway, with the API key, JSON answers.
 * A call that fails or answers a status other than the expected ones ends the run ({@link BenchException}).
 */
final class PlatformApi {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final String gateway;
    private final String authorization;
    private final HttpClient http;

    private PlatformApi(String gateway, String apiKey) {
        this.gateway = gateway;
        this.authorization = "Bearer " + apiKey;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Reads the API key, then asks the gateway for {@code /api/health}. A platform that is not entirely UP is only a
     * note (and a warning now): the run may still work, and its figures say whether it did.
     */
    static PlatformApi connect(PlatformOptions options, List<String> notes) {
        PlatformApi api = new PlatformApi(options.gateway, apiKey(options));
        api.checkHealth(notes);
        return api;
    }

    /** --key, else the bootstrap admin key that ./platform start wrote (never taken from a command line by default). */
    private static String apiKey(PlatformOptions options) {
        if (options.key != null) {
            return options.key;
        }
        Path file;
        String dataDir = System.getenv("PLATFORM_DATA_DIR");
        if (options.root == null && dataDir != null && !dataDir.isBlank()) {
            file = Path.of(dataDir, "secrets", "bootstrap-api-key");
        } else {
            file = (options.root != null ? options.root : Path.of(".")).resolve(".data/secrets/bootstrap-api-key");
        }
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new BenchException("the API key file " + file + " is empty");
            }
            Machine.log("API key: the bootstrap admin key from %s", file);
            return key;
        } catch (IOException e) {
            throw new BenchException("no API key: cannot read " + file + " (" + e.getMessage() + "); pass --key KEY, "
                    + "or --root with the checkout whose ./platform start wrote .data/secrets/bootstrap-api-key");
        }
    }

    private void checkHealth(List<String> notes) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri("/api/health")).timeout(Duration.ofSeconds(10)).GET()
                    .build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchException("the gateway does not answer at " + gateway + " (" + e + "); start the "
                    + "platform with ./platform start, or pass --gateway URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
        String status = null;
        try {
            JsonObject data = new JsonObject(response.body()).getJsonObject("data");
            status = data == null ? null : data.getString("status");
        } catch (DecodeException | ClassCastException e) {
            // reported below
        }
        if (!"UP".equals(status)) {
            notes.add("GET /api/health answered " + response.statusCode() + " with status " + status
                    + " at the start: " + Text.abbreviate(response.body(), 400));
            Machine.log("warning: the platform is not entirely UP (%d): %s", response.statusCode(),
                    Text.abbreviate(response.body(), 400));
        } else {
            Machine.log("gateway %s: /api/health UP", gateway);
        }
    }

    /** The client itself, for what goes elsewhere than the API (a signed download URL needs no key). */
    HttpClient http() {
        return http;
    }

    URI uri(String path) {
        return URI.create(gateway + path);
    }

    /** A request to {@code path} with the key, asking for JSON; the caller adds the method and body. */
    HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(uri(path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    /** The answer's JSON object (empty for an empty body), when its status is one of {@code expected}. */
    JsonObject call(String method, String path, BodyPublisher body, String contentType, int... expected) {
        return call(method, path, body, contentType, CALL_TIMEOUT, expected);
    }

    JsonObject call(String method, String path, BodyPublisher body, String contentType, Duration timeout,
            int... expected) {
        return expect(send(method, path, body, contentType, timeout), method, path, expected);
    }

    /** The answer, whatever its status. */
    HttpResponse<String> send(String method, String path, BodyPublisher body, String contentType, Duration timeout) {
        HttpRequest.Builder request = request(path, timeout)
                .method(method, body == null ? BodyPublishers.noBody() : body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return http.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchException(method + " " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(method + " " + path + " interrupted");
        }
    }

    static JsonObject expect(HttpResponse<String> response, String method, String path, int... expected) {
        int status = response.statusCode();
        boolean ok = false;
        for (int e : expected) {
            ok |= e == status;
        }
        if (!ok) {
            throw new BenchException(method + " " + path + " answered " + status + ": "
                    + Text.abbreviate(response.body(), 600));
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new BenchException(method + " " + path + " answered " + status + " with a body that is not a JSON "
                    + "object: " + Text.abbreviate(text, 400));
        }
    }
}
