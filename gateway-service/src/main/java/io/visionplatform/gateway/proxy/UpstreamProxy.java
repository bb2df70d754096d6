package io.visionplatform.gateway.proxy;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.http.ErrorResponses;
import io.visionplatform.common.http.RequestIds;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.gateway.config.GatewayConfig;

/**
 * Forwards a request to its service and the answer back, streaming both bodies with back-pressure (a
 * multi-GiB upload never sits in the gateway's memory). The caller's credentials stay at the gateway: the
 * service receives the gateway's signed identity token instead.
 */
@ApplicationScoped
public class UpstreamProxy {

    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class);

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and those only the gateway may set; never copied from the client. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade", "host", "authorization",
            "x-platform-identity", "x-account-id", "x-user-id", "x-username", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "forwarded", "x-real-ip");
    /** Hop-by-hop headers of the service's answer, and those the gateway already set. */
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "upgrade", "x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset");

    private final HttpClient client;
    private final GatewayConfig config;

    public UpstreamProxy(Vertx vertx, GatewayConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(200)
                .setDecompressionSupported(false));
    }

    /** Sends the (paused) request to {@code upstream}; answers 503 in the envelope if the service is down. */
    public void forward(RoutingContext context, String upstream, String identityToken) {
        HttpServerRequest incoming = context.request();
        URI base = config.upstreams().get(upstream).url();
        RequestOptions options = new RequestOptions()
                .setMethod(incoming.method())
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(incoming.uri())
                .setIdleTimeout(config.proxy().idleTimeout().toMillis())
                .setHeaders(outgoingHeaders(context, identityToken));
        client.request(options)
                .compose(outgoing -> send(outgoing, incoming))
                .onSuccess(answer -> relay(answer, context.response()))
                .onFailure(failure -> unavailable(context, upstream, failure));
    }

    private static io.vertx.core.Future<HttpClientResponse> send(HttpClientRequest outgoing, HttpServerRequest incoming) {
        boolean hasBody = incoming.headers().contains(HttpHeaders.CONTENT_LENGTH)
                || incoming.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        if (!hasBody) {
            incoming.resume();
            return outgoing.send();
        }
        if (!incoming.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            outgoing.setChunked(true);
        }
        return outgoing.send(incoming);
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        response.setStatusMessage(answer.statusMessage());
        answer.headers()
                .forEach(header -> {
                    if (!NOT_RETURNED.contains(header.getKey().toLowerCase())) {
                        response.headers().add(header.getKey(), header.getValue());
                    }
                });
        if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        answer.pipeTo(response);
    }

    private static MultiMap outgoingHeaders(RoutingContext context, String identityToken) {
        HttpServerRequest incoming = context.request();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        incoming.headers()
                .forEach(header -> {
                    if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
                        headers.add(header.getKey(), header.getValue());
                    }
                });
        headers.set(InternalIdentity.HEADER, identityToken);
        headers.set(RequestIds.HEADER, RequestIds.of(context));
        headers.set("X-Forwarded-For", incoming.remoteAddress() != null ? incoming.remoteAddress().hostAddress() : "");
        headers.set("X-Forwarded-Proto", incoming.scheme());
        if (incoming.authority() != null) {
            headers.set("X-Forwarded-Host", incoming.authority().toString());
        }
        return headers;
    }

    private static void unavailable(RoutingContext context, String upstream, Throwable failure) {
        LOG.warnf("Upstream %s failed for %s %s (request %s): %s", upstream, context.request().method(),
                context.request().path(), RequestIds.of(context), failure.getMessage());
        if (context.response().headWritten()) {
            // The answer had started streaming: all that is left is to cut it.
            context.response().reset();
            return;
        }
        context.response().putHeader("Retry-After", "5");
        ErrorResponses.write(context, 503, ErrorCode.INTERNAL_ERROR, "The " + upstream + " service is unavailable",
                Map.of("service", upstream));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
