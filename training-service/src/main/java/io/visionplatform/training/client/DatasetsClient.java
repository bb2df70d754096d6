package io.visionplatform.training.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.visionplatform.training.config.TrainingConfig;

/** The dataset service: the dataset a run trains on (ownership checked there) and a signed NDJSON export of it. */
@ApplicationScoped
public class DatasetsClient {

    private final ServiceCalls calls;
    private final URI base;

    public DatasetsClient(ServiceCalls calls, TrainingConfig config) {
        this.calls = calls;
        this.base = config.services().datasetsUrl();
    }

    /** The caller's dataset; NOT_FOUND for anyone else's. */
    public Uni<DatasetInfo> dataset(String identityToken, String datasetId) {
        return calls.call("GET", base.resolve("/api/datasets/" + encode(datasetId)), identityToken, null)
                .map(body -> body.path("data"))
                .map(data -> new DatasetInfo(data.path("id").asText(), data.path("slug").asText(),
                        data.path("task").asText(), data.path("imageCount").asInt()));
    }

    /** A signed URL of the dataset's NDJSON (a new version only when the data changed). */
    public Uni<String> exportUrl(String identityToken, String datasetId) {
        return calls.call("POST", base.resolve("/api/datasets/" + encode(datasetId) + "/export"), identityToken, null)
                .map(body -> body.path("data").path("url").asText());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public record DatasetInfo(String id, String slug, String task, int imageCount) {
    }
}
