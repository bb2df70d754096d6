package io.visionplatform.gateway.client;

import java.net.URI;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.visionplatform.common.http.RequestIds;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.gateway.config.GatewayConfig;

/** The gateway's small calls to its services: readiness (database and Kafka included) and OpenAPI documents. */
@ApplicationScoped
public class UpstreamClient {

    private final WebClient client;
    private final Duration timeout;
    private final Duration callTimeout;

    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(1000));
        this.timeout = config.healthTimeout();
        this.callTimeout = config.proxy().idleTimeout();
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

    /**
     * A JSON call to a service on behalf of a caller (the gateway composing an answer, e.g. the trash): carries
     * the caller's identity token and the request id; emits the service's status and JSON body.
     */
    public Uni<ServiceAnswer> call(HttpMethod method, URI baseUrl, String path, String identityToken, String requestId,
            JsonObject body) {
        var request = client.requestAbs(method, baseUrl.resolve(path).toString())
                .putHeader(InternalIdentity.HEADER, identityToken)
                .putHeader(RequestIds.HEADER, requestId)
                .putHeader("Accept", "application/json")
                .timeout(callTimeout.toMillis());
        return (body == null ? request.send() : request.sendJsonObject(body))
                .map(response -> new ServiceAnswer(response.statusCode(), parse(response)));
    }

    /** A service's answer to {@link #call}: its status and JSON body (empty object when it had none). */
    public record ServiceAnswer(int status, JsonObject body) {
    }

    private static JsonObject parse(HttpResponse<?> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            return body != null ? body : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
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
