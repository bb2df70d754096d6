package io.visionplatform.training.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The model service, dataset service and the gateway's run-key endpoints as training-service sees them, over real
 * HTTP: owned resources answer, anyone else's are NOT_FOUND in the envelope, like the real services. Tests register
 * models and datasets and read back what training-service told the others under {@code /fake/…}.
 */
public class FakePlatform implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final Map<String, JsonNode> models = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> datasets = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> results = new ConcurrentHashMap<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "platform.training.services.models-url", url,
                "platform.training.services.datasets-url", url,
                "platform.training.services.gateway-url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String[] path = exchange.getRequestURI().getPath().substring(1).split("/");
            JsonNode body = readBody(exchange.getRequestBody());
            String account = accountOf(exchange);
            if (path[0].equals("fake")) {
                fake(exchange, method, path, body);
                return;
            }
            if (path.length >= 3 && path[1].equals("models") && method.equals("GET")) {
                JsonNode model = owned(models, path[2], account);
                if (model == null) {
                    notFound(exchange, "model", path[2]);
                } else if (path.length == 3) {
                    respond(exchange, 200, Map.of("success", true, "data", model));
                } else {
                    List<Object> files = new ArrayList<>();
                    if ("pt".equals(model.path("format").asText())) {
                        files.add(Map.of("kind", "weights", "format", "pt",
                                "url", "http://store.local/models/" + path[2] + "/weights/best.pt?sig=1"));
                    }
                    respond(exchange, 200, Map.of("success", true, "data", files));
                }
            } else if (path.length == 3 && path[1].equals("projects")) {
                respond(exchange, 200, Map.of("success", true, "data", Map.of("id", path[2], "slug", "proj-slug")));
            } else if (path.length == 3 && path[1].equals("datasets")) {
                JsonNode dataset = owned(datasets, path[2], account);
                if (dataset == null) {
                    notFound(exchange, "dataset", path[2]);
                } else {
                    respond(exchange, 200, Map.of("success", true, "data", dataset));
                }
            } else if (path.length == 4 && path[1].equals("datasets") && path[3].equals("export")) {
                if (owned(datasets, path[2], account) == null) {
                    notFound(exchange, "dataset", path[2]);
                } else {
                    respond(exchange, 200, Map.of("success", true, "data", Map.of("url",
                            "http://store.local/datasets/" + path[2] + "/v1.ndjson?sig=1")));
                }
            } else if (path.length == 4 && path[2].equals("training") && path[3].equals("models")) {
                String id = "model_sdk" + sequence.incrementAndGet();
                ObjectNode model = JSON.createObjectNode()
                        .put("id", id)
                        .put("accountId", account)
                        .put("slug", body.path("name").asText() + "-" + sequence.get())
                        .put("projectId", "project_x")
                        .put("status", "untrained");
                models.put(id, model);
                respond(exchange, 201, Map.of("success", true, "data", Map.of("modelId", id,
                        "modelSlug", model.path("slug").asText(), "projectSlug", "proj-slug")));
            } else if (path.length == 6 && path[5].equals("result")) {
                if (owned(models, path[4], account) == null) {
                    notFound(exchange, "model", path[4]);
                } else {
                    results.put(path[4], body);
                    respond(exchange, 200, Map.of("success", true, "data", Map.of("id", path[4])));
                }
            } else if (path[0].equals("internal") && method.equals("POST")) {
                String id = "key_run" + sequence.incrementAndGet();
                respond(exchange, 201, Map.of("id", id, "key", "ul_" + "0".repeat(36) + String.format("%04d",
                        sequence.get())));
            } else if (path[0].equals("internal") && method.equals("DELETE")) {
                revoked.add(path[2]);
                respond(exchange, 200, Map.of("revoked", true));
            } else {
                notFound(exchange, "route", exchange.getRequestURI().getPath());
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, Map.of("success", false, "error", Map.of("code", "INTERNAL_ERROR",
                    "message", String.valueOf(e))));
        }
    }

    private void fake(HttpExchange exchange, String method, String[] path, JsonNode body) throws IOException {
        switch (path[1]) {
            case "models" -> models.put(body.path("id").asText(), body);
            case "datasets" -> datasets.put(body.path("id").asText(), body);
            case "results" -> {
                respond(exchange, 200, results.getOrDefault(path[2], JSON.nullNode()));
                return;
            }
            case "revoked" -> {
                respond(exchange, 200, revoked);
                return;
            }
            default -> throw new IllegalArgumentException(path[1]);
        }
        respond(exchange, 200, Map.of("ok", true));
    }

    private static JsonNode owned(Map<String, JsonNode> store, String id, String account) {
        JsonNode found = store.get(id);
        return found != null && found.path("accountId").asText().equals(account) ? found : null;
    }

    /** The account of the forwarded gateway token (its signature is the real services' business). */
    private static String accountOf(HttpExchange exchange) throws IOException {
        String token = exchange.getRequestHeaders().getFirst("X-Platform-Identity");
        if (token == null) {
            return null;
        }
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return claims.path("sub").asText();
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    private static void notFound(HttpExchange exchange, String resource, String id) throws IOException {
        respond(exchange, 404, Map.of("success", false, "error", Map.of("code", "NOT_FOUND",
                "message", resource + " not found", "details", Map.of("resource", resource, "id", id))));
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** For tests: the platform's fake state, by HTTP (the resource may live in another class loader). */
    public static String url() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("platform.training.services.models-url", String.class);
    }

}
