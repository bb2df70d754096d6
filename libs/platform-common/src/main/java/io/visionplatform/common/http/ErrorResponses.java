package io.visionplatform.common.http;

import java.util.Map;

import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.ErrorResponse;
import io.visionplatform.common.error.PlatformException;

/** Writes the contract's error envelope straight onto a Vert.x response, for code that runs before REST. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static void write(RoutingContext context, PlatformException exception) {
        write(context, exception.status(), exception.code(), exception.getMessage(), exception.details());
    }

    public static void write(RoutingContext context, int status, ErrorCode code, String message,
            Map<String, Object> details) {
        if (context.response().ended() || context.response().headWritten()) {
            return;
        }
        ErrorResponse body = ErrorResponse.of(code, message, details == null || details.isEmpty() ? null : details,
                RequestIds.of(context));
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(body));
    }
}
