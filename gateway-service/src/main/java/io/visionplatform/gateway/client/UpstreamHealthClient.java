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

/** Asks one upstream service for its readiness (database and Kafka included) over its health endpoint. */
@ApplicationScoped
public class UpstreamHealthClient {

    private final WebClient client;
    private final Duration timeout;

    public UpstreamHealthClient(Vertx vertx, GatewayConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(1000));
        this.timeout = config.healthTimeout();
    }

    /** Emits the reported status ({@code UP} / {@code DOWN}); fails when the service cannot be reached. */
    public Uni<String> readiness(URI baseUrl) {
        return client.getAbs(baseUrl.resolve("/q/health/ready").toString())
                .timeout(timeout.toMillis())
                .send()
                .map(UpstreamHealthClient::statusOf);
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
