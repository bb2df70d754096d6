package io.visionplatform.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Stand-ins for the five services behind the gateway, one per kind of answer the health view must handle:
 * ready, not ready (503), hanging past the timeout, and not listening at all.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer ready = serve(200, "{\"status\":\"UP\",\"checks\":[]}");
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
