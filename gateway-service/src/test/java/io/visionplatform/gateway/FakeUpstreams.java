package io.visionplatform.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Stand-ins for the five services behind the gateway, one per kind of answer the health view must handle:
 * ready, not ready (503), hanging past the timeout, and not listening at all.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer ready = listen(vertx.createHttpServer().requestHandler(FakeUpstreams::echo));
        HttpServer notReady = serve(503, "{\"status\":\"DOWN\",\"checks\":[]}");
        HttpServer hanging = listen(vertx.createHttpServer().requestHandler(request -> {
            // never answers
        }));
        return Map.of(
                "platform.gateway.health-timeout", "1s",
                "platform.gateway.upstreams.datasets.url", url(ready),
                "platform.gateway.upstreams.models.url", url(ready),
                "platform.gateway.upstreams.training.url", url(notReady),
                "platform.gateway.upstreams.deployments.url", url(hanging),
                "platform.gateway.upstreams.billing.url", "http://127.0.0.1:" + unusedPort());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /**
     * A ready service: health says UP; any other request is answered with what arrived — method, path,
     * headers and the number of body bytes (counted, never kept, so gigabytes can stream through).
     */
    private static void echo(HttpServerRequest request) {
        if (request.path().equals("/q/health/ready")) {
            request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\",\"checks\":[]}");
            return;
        }
        AtomicLong bytes = new AtomicLong();
        request.handler(chunk -> bytes.addAndGet(chunk.length()));
        request.endHandler(done -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
            JsonObject body = new JsonObject()
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("headers", headers)
                    .put("bodyBytes", bytes.get());
            request.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Upstream", "echo")
                    .end(body.encode());
        });
    }

    private HttpServer serve(int status, String body) {
        return listen(vertx.createHttpServer().requestHandler(request -> request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body)));
    }

    private static HttpServer listen(HttpServer server) {
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
