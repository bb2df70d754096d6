package io.visionplatform.gateway.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.visionplatform.gateway.client.UpstreamClient;
import io.visionplatform.gateway.config.GatewayConfig;

/**
 * One OpenAPI document for the whole public API: the gateway's own endpoints plus each service's
 * {@code /api/**} paths and schemas. A service that is down is left out (and named in {@code x-missing}).
 * Rebuilt at most every 30 s.
 */
@ApplicationScoped
public class OpenApiAggregator {

    private static final Logger LOG = Logger.getLogger(OpenApiAggregator.class);
    private static final Duration CACHE = Duration.ofSeconds(30);
    /** Where Quarkus puts the build-time document of this application. */
    private static final String OWN_DOCUMENT = "META-INF/quarkus-generated-openapi-doc.JSON";

    private final GatewayConfig config;
    private final UpstreamClient upstreams;
    private volatile JsonObject cached;
    private volatile Instant cachedAt = Instant.EPOCH;

    public OpenApiAggregator(GatewayConfig config, UpstreamClient upstreams) {
        this.config = config;
        this.upstreams = upstreams;
    }

    public Uni<JsonObject> document() {
        JsonObject current = cached;
        if (current != null && cachedAt.plus(CACHE).isAfter(Instant.now())) {
            return Uni.createFrom().item(current);
        }
        return merged()
                .invoke(document -> {
                    cached = document;
                    cachedAt = Instant.now();
                });
    }

    private Uni<JsonObject> merged() {
        JsonObject document = ownDocument();
        document.put("info", new JsonObject()
                .put("title", "Vision Platform API")
                .put("version", document.getJsonObject("info", new JsonObject()).getString("version", "0.1.0"))
                .put("description", "Ultralytics Platform-compatible REST API, served by the gateway."));
        document.put("components", document.getJsonObject("components", new JsonObject())
                .put("securitySchemes", new JsonObject().put("bearer", new JsonObject()
                        .put("type", "http")
                        .put("scheme", "bearer")
                        .put("description", "An API key (ul_…) or a Keycloak access token"))));
        document.put("security", new io.vertx.core.json.JsonArray().add(new JsonObject().put("bearer",
                new io.vertx.core.json.JsonArray())));
        return Multi.createFrom()
                .iterable(config.upstreams().entrySet())
                .onItem()
                .transformToUniAndConcatenate(upstream -> upstreams.openApi(upstream.getValue().url())
                        .map(service -> Map.entry(upstream.getKey(), service))
                        .onFailure()
                        .recoverWithItem(failure -> Map.entry(upstream.getKey(), new JsonObject())))
                .collect()
                .in(() -> document, (target, service) -> mergeInto(target, service.getKey(), service.getValue()));
    }

    private static void mergeInto(JsonObject target, String service, JsonObject source) {
        JsonObject paths = source.getJsonObject("paths");
        if (paths == null) {
            target.put("x-missing", target.getJsonArray("x-missing", new io.vertx.core.json.JsonArray()).add(service));
            return;
        }
        JsonObject targetPaths = target.getJsonObject("paths", new JsonObject());
        paths.fieldNames()
                .stream()
                .filter(path -> path.startsWith("/api/"))
                .forEach(path -> targetPaths.put(path, paths.getValue(path)));
        target.put("paths", targetPaths);
        JsonObject schemas = source.getJsonObject("components", new JsonObject()).getJsonObject("schemas");
        if (schemas != null) {
            JsonObject targetSchemas = target.getJsonObject("components").getJsonObject("schemas", new JsonObject());
            schemas.fieldNames()
                    .stream()
                    .filter(name -> !targetSchemas.containsKey(name))
                    .forEach(name -> targetSchemas.put(name, schemas.getValue(name)));
            target.getJsonObject("components").put("schemas", targetSchemas);
        }
    }

    private static JsonObject ownDocument() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(OWN_DOCUMENT)) {
            if (in == null) {
                return new JsonObject().put("openapi", "3.1.0").put("paths", new JsonObject());
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("Cannot read the gateway's own OpenAPI document", e);
            return new JsonObject().put("openapi", "3.1.0").put("paths", new JsonObject());
        }
    }
}
