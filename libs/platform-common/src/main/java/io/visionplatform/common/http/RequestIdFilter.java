package io.visionplatform.common.http;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;

/** Runs before every route (REST, health, metrics) so even framework errors carry the request id. */
@ApplicationScoped
public class RequestIdFilter {

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 100)
    void assignRequestId(RoutingContext context) {
        String requestId = RequestIds.assign(context);
        context.response().putHeader(RequestIds.HEADER, requestId);
        context.next();
    }
}
