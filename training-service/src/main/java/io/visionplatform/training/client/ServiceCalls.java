package io.visionplatform.training.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.training.config.TrainingConfig;

/**
 * Calls to the other services, non-blocking (the JDK's HTTP client), with the caller's gateway token forwarded so the
 * callee applies its own ownership rules. An error the callee answers in the envelope comes back as the same
 * {@link PlatformException} (another account's model stays NOT_FOUND); an unreachable service is a 503.
 */
@ApplicationScoped
public class ServiceCalls {

    private static final Logger LOG = Logger.getLogger(ServiceCalls.class);

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    public ServiceCalls(ObjectMapper json, TrainingConfig config) {
        this.json = json;
        this.timeout = config.services().timeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A call as the caller whose gateway token is {@code identityToken}; answers the parsed JSON body. */
    public Uni<JsonNode> call(String method, URI url, String identityToken, Object body) {
        return send(method, url, Map.of(InternalIdentity.HEADER, identityToken), body);
    }

    /** A call with a bearer API key (through the gateway). */
    public Uni<JsonNode> callWithKey(String method, URI url, String apiKey, Object body) {
        return send(method, url, Map.of("Authorization", "Bearer " + apiKey), body);
    }

    private Uni<JsonNode> send(String method, URI url, Map<String, String> headers, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "application/json");
        headers.forEach(request::header);
        try {
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return Uni.createFrom()
                .deferred(() -> {
                    // The JDK client completes on its own threads: come back to the caller's Vert.x context, where
                    // the reactive session of the rest of the chain lives.
                    Context context = Vertx.currentContext();
                    Uni<HttpResponse<byte[]>> sent = Uni.createFrom()
                            .completionStage(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
                    return context == null ? sent
                            : sent.emitOn(task -> context.runOnContext(ignored -> task.run()));
                })
                .onFailure(failure -> !(failure instanceof PlatformException))
                .transform(failure -> {
                    LOG.warnf("%s %s failed: %s", method, url, failure.toString());
                    return PlatformException.unavailable("A platform service is unavailable: " + url.getHost() + ":"
                            + url.getPort());
                })
                .map(response -> read(url, response));
    }

    private JsonNode read(URI url, HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new PlatformException(ErrorCode.INTERNAL_ERROR, 502, "Unreadable answer from " + url.getPath(),
                    Map.of());
        }
        int status = response.statusCode();
        if (status < 400) {
            return body;
        }
        JsonNode error = body.path("error");
        ErrorCode code = parseCode(error.path("code").asText(null), status);
        Map<String, Object> details = new LinkedHashMap<>();
        if (error.path("details").isObject()) {
            details.putAll(json.convertValue(error.path("details"), Map.class));
        }
        String message = error.path("message").asText("Call to " + url.getPath() + " answered " + status);
        // A service that is down behind our back is our 503, never the caller's fault.
        return throwAs(new PlatformException(code, status >= 500 ? 503 : status, message, details));
    }

    private static JsonNode throwAs(PlatformException failure) {
        throw failure;
    }

    private static ErrorCode parseCode(String code, int status) {
        if (code != null) {
            try {
                return ErrorCode.valueOf(code);
            } catch (IllegalArgumentException e) {
                // an unknown code reads as the status says
            }
        }
        return ErrorCode.forStatus(status);
    }
}
