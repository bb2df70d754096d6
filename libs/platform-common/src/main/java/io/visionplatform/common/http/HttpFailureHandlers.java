package io.visionplatform.common.http;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;

/**
 * Errors raised by Vert.x before a REST resource is reached (no route, body over the size limit, a failed
 * handler) would otherwise answer in plain text or HTML. This answers them in the contract's envelope.
 */
@ApplicationScoped
public class HttpFailureHandlers {

    private static final Logger LOG = Logger.getLogger(HttpFailureHandlers.class);

    void register(@Observes Router router) {
        router.route()
                .order(Integer.MIN_VALUE)
                .failureHandler(this::handleFailure);
        router.errorHandler(404, context -> ErrorResponses.write(context, 404, ErrorCode.NOT_FOUND,
                "No route for " + context.request().method() + " " + context.request().path(), Map.of()));
        router.errorHandler(405, context -> ErrorResponses.write(context, 405, ErrorCode.VALIDATION_ERROR,
                "Method " + context.request().method() + " is not allowed on " + context.request().path(), Map.of()));
    }

    private void handleFailure(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof PlatformException platform) {
            ErrorResponses.write(context, platform.status(), platform.code(), platform.getMessage(), platform.details());
            return;
        }
        int status = context.statusCode() > 0 ? context.statusCode() : 500;
        if (status == 413) {
            ErrorResponses.write(context, 413, ErrorCode.VALIDATION_ERROR, "Request body is larger than this endpoint accepts",
                    Map.of("limit", "see the endpoint's documented size limit"));
            return;
        }
        if (status >= 500) {
            LOG.errorf(failure, "Unhandled failure on %s %s (request %s)", context.request().method(),
                    context.request().path(), RequestIds.of(context));
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String message = status >= 500 ? "Internal server error" : "Request failed with HTTP " + status;
        ErrorResponses.write(context, status, code, message, Map.of());
    }
}
