package io.visionplatform.training.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.visionplatform.training.config.TrainingConfig;

/**
 * The model service: the model a run trains (ownership checked there), the project and model an SDK run names, and
 * the trained model's metrics. The internal paths live under {@code /api/internal/}, which the gateway never routes.
 */
@ApplicationScoped
public class ModelsClient {

    private final ServiceCalls calls;
    private final URI base;

    public ModelsClient(ServiceCalls calls, TrainingConfig config) {
        this.calls = calls;
        this.base = config.services().modelsUrl();
    }

    /** A model of the caller, as {@code GET /api/models/{id}} shows it; NOT_FOUND for anyone else's. */
    public Uni<ModelInfo> model(String identityToken, String modelId) {
        return calls.call("GET", base.resolve("/api/models/" + encode(modelId)), identityToken, null)
                .map(body -> body.path("data"))
                .map(data -> new ModelInfo(data.path("id").asText(), data.path("slug").asText(),
                        data.path("projectId").asText(), data.path("status").asText(),
                        data.path("format").asText(null), data.path("architecture").asText(null)));
    }

    /** The project's slug (for the SDK's {@code project=user/slug}). */
    public Uni<String> projectSlug(String identityToken, String projectId) {
        return calls.call("GET", base.resolve("/api/projects/" + encode(projectId)), identityToken, null)
                .map(body -> body.path("data").path("slug").asText());
    }

    /** A signed URL of the model's {@code .pt} weights, or null when it has none. */
    public Uni<String> ptWeightsUrl(String identityToken, String modelId) {
        return calls.call("GET", base.resolve("/api/models/" + encode(modelId) + "/files"), identityToken, null)
                .map(body -> {
                    String url = null;
                    for (JsonNode file : body.path("data")) {
                        if ("weights".equals(file.path("kind").asText()) && "pt".equals(file.path("format").asText())) {
                            url = file.path("url").asText();
                        }
                    }
                    return url;
                });
    }

    /** An SDK run's {@code project}/{@code name}: the project (created when missing) and a new model in it. */
    public Uni<RegisteredModel> registerSdkModel(String identityToken, String project, String name) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("project", project);
        request.put("name", name);
        return calls.call("POST", base.resolve("/api/internal/training/models"), identityToken, request)
                .map(body -> body.path("data"))
                .map(data -> new RegisteredModel(data.path("modelId").asText(), data.path("modelSlug").asText(),
                        data.path("projectSlug").asText()));
    }

    /** The trained model's metrics and class names (its weights arrive through the SDK upload). */
    public Uni<Void> recordTraining(String identityToken, String modelId, String runId, Map<String, Object> metrics,
            List<String> classNames, Integer imageSize) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("runId", runId);
        request.put("metrics", metrics);
        request.put("classNames", classNames);
        request.put("imgsz", imageSize);
        return calls.call("POST", base.resolve("/api/internal/training/models/" + encode(modelId) + "/result"),
                identityToken, request)
                .replaceWithVoid();
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    public record ModelInfo(String id, String slug, String projectId, String status, String format,
            String architecture) {
    }

    public record RegisteredModel(String modelId, String modelSlug, String projectSlug) {
    }
}
