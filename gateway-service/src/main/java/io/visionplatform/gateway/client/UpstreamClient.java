package io.visionplatform.gateway.client;

import java.net.URI;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.visionplatform.gateway.config.GatewayConfig;

/** The gateway's small calls to its services: readiness (database and Kafka included) and OpenAPI documents. */
@ApplicationScoped
public class UpstreamClient {

    private final WebClient client;
    private final Duration timeout;

    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(1000));
        this.timeout = config.healthTimeout();
    }

    /** Emits the reported status ({@code UP} / {@code DOWN}); fails when the service cannot be reached. */
    public Uni<String> readiness(URI baseUrl) {
        return client.getAbs(baseUrl.resolve("/q/health/ready").toString())
                .timeout(timeout.toMillis())
                .send()
                .map(UpstreamClient::statusOf);
    }

    /** The service's OpenAPI document as JSON. */
    public Uni<JsonObject> openApi(URI baseUrl) {
        return client.getAbs(baseUrl.resolve("/q/openapi?format=json").toString())
                .putHeader("Accept", "application/json")
                .timeout(timeout.toMillis())
                .send()
                .map(HttpResponse::bodyAsJsonObject);
    }

    private static String statusOf(HttpResponse<?> response) {
        JsonObject body = response.bodyAsJsonObject();
        return body != null ? body.getString("status", "DOWN") : "DOWN";
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
