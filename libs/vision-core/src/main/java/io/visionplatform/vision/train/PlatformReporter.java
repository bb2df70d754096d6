package io.visionplatform.vision.train;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.visionplatform.vision.metadata.JsonLiteral;

/**
 * Reports a run to a platform exactly as the Ultralytics SDK does (SDK-PROTOCOL.md): every event to
 * {@code POST {url}/api/webhooks/training/metrics} with the key as a bearer token, console lines batched five at a
 * time, the best checkpoint (and its ONNX) uploaded through {@code /api/webhooks/models/upload} and a presigned
 * {@code PUT} before {@code training_complete}. A response carrying {@code "cancelled": true} sets the cancel flag; a
 * 401 stops all reporting, as it stops the SDK. Transient failures (408, 429, 5xx, I/O) are retried after 2, 4 and 8
 * seconds; other failures are logged and training goes on.
 */
public final class PlatformReporter implements TrainListener {

    private static final int CONSOLE_BATCH_LINES = 5;
    private static final long[] RETRY_DELAYS_MS = { 2000, 4000, 8000 };

    private final HttpClient http;
    private final String base;
    private final String key;
    private final String project;
    private final String name;
    private final AtomicBoolean cancelled;
    private final Consumer<String> log;
    private final List<String> pendingLines = new ArrayList<>();
    private String modelId;
    private String runId;
    private int chunkId;
    private boolean disabled;

    /**
     * @param url the platform's base URL ({@code ULTRALYTICS_PLATFORM_URL})
     * @param modelId the model of a managed run, or null to register by project and name
     */
    public PlatformReporter(String url, String key, String modelId, String project, String name,
            AtomicBoolean cancelled, Consumer<String> log) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.base = url.replaceAll("/+$", "") + "/api/webhooks";
        this.key = key;
        this.modelId = modelId;
        this.project = project;
        this.name = name;
        this.cancelled = cancelled;
        this.log = log;
    }

    public String modelId() {
        return modelId;
    }

    public String runId() {
        return runId;
    }

    @Override
    public synchronized void onEvent(String event, Map<String, Object> data) {
        if (disabled) {
            return;
        }
        switch (event) {
            case "console_output" -> {
                pendingLines.add(String.valueOf(data.get("content")));
                if (pendingLines.size() >= CONSOLE_BATCH_LINES) {
                    flushConsole();
                }
            }
            case "training_started" -> {
                Map<String, Object> response = send("training_started", data, 30);
                if (response.get("modelId") instanceof String id) {
                    modelId = id;
                }
                if (response.get("runId") != null) {
                    runId = String.valueOf(response.get("runId"));
                }
            }
            case "training_complete" -> {
                flushConsole();
                complete(data);
            }
            default -> {
                flushConsole();
                send(event, data, 30);
            }
        }
    }

    /** Sends {@code training_failed}. */
    public synchronized void failed(String error, String code) {
        if (disabled) {
            return;
        }
        flushConsole();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("error", error);
        d.put("code", code);
        d.put("runId", runId);
        send("training_failed", d, 30);
    }

    private void flushConsole() {
        if (pendingLines.isEmpty() || disabled) {
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("chunkId", ++chunkId);
        d.put("content", String.join("\n", pendingLines) + "\n");
        d.put("lineCount", pendingLines.size());
        pendingLines.clear();
        send("console_output", d, 30);
    }

    @SuppressWarnings("unchecked")
    private void complete(Map<String, Object> data) {
        Map<String, Object> results = new LinkedHashMap<>((Map<String, Object>) data.get("results"));
        Object modelPath = results.get("modelPath");
        if (modelPath != null) {
            Path best = Path.of(modelPath.toString());
            String storedPt = upload(best, "best.pt");
            if (storedPt != null) {
                results.put("modelPath", storedPt);
            }
            Path onnx = best.resolveSibling("best.onnx");
            if (Files.exists(onnx)) {
                upload(onnx, "best.onnx");
            }
        }
        Map<String, Object> d = new LinkedHashMap<>(data);
        d.put("results", results);
        d.put("runId", runId);
        send("training_complete", d, 30);
    }

    /** The SDK's checkpoint upload: ask for a presigned URL, PUT the bytes, announce it. Returns the storage path. */
    private String upload(Path file, String filename) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("filename", filename);
            identify(body);
            body.put("runId", runId);
            Map<String, Object> target = post(base + "/models/upload", body, 90);
            Object uploadUrl = target.get("uploadUrl");
            if (uploadUrl == null) {
                log.accept("platform: no upload URL for " + filename);
                return null;
            }
            HttpRequest put = HttpRequest.newBuilder(URI.create(uploadUrl.toString()))
                    .timeout(Duration.ofSeconds(600))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
            HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log.accept("platform: upload of " + filename + " failed with HTTP " + response.statusCode());
                return null;
            }
            String path = target.get("gcsPath") == null ? null : target.get("gcsPath").toString();
            Map<String, Object> saved = new LinkedHashMap<>();
            saved.put("modelPath", path);
            saved.put("runId", runId);
            saved.put("uploadPath", target.get("uploadPath"));
            saved.put("filename", filename);
            send("checkpoint_saved", saved, 90);
            return path;
        } catch (IOException e) {
            log.accept("platform: upload of " + filename + " failed: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void identify(Map<String, Object> body) {
        if (modelId != null) {
            body.put("modelId", modelId);
        } else {
            body.put("project", project);
            body.put("name", name);
        }
    }

    private Map<String, Object> send(String event, Map<String, Object> data, int timeoutSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("data", data);
        identify(body);
        try {
            Map<String, Object> response = post(base + "/training/metrics", body, timeoutSeconds);
            if (Boolean.TRUE.equals(response.get("cancelled"))) {
                cancelled.set(true);
            }
            return response;
        } catch (IOException e) {
            log.accept("platform: " + event + " not delivered: " + e.getMessage());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String url, Map<String, Object> body, int timeoutSeconds)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
                .build();
        IOException lastFailure = null;
        for (int attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
            if (attempt > 0) {
                Thread.sleep(RETRY_DELAYS_MS[attempt - 1]);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastFailure = e;
                continue;
            }
            int status = response.statusCode();
            if (status == 401) {
                disabled = true;
                throw new IOException("the platform rejected the API key (401); reporting stops");
            }
            if (status == 408 || status == 429 || status >= 500) {
                lastFailure = new IOException("HTTP " + status + ": " + response.body());
                continue;
            }
            if (status / 100 != 2) {
                throw new IOException("HTTP " + status + ": " + response.body());
            }
            Object parsed = response.body().isBlank() ? Map.of() : JsonLiteral.parse(response.body());
            return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
        throw lastFailure;
    }
}
