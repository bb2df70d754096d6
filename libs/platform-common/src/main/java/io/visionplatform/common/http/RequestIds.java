package io.visionplatform.common.http;

import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;

/** The {@code X-Request-Id} every response and error body carries. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";

    /** Client-supplied ids are echoed only when they are short and printable, so logs stay clean. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    /** Accepts the client's id when well formed, otherwise generates one; stores it on the request. */
    public static String assign(RoutingContext context) {
        String offered = context.request().getHeader(HEADER);
        String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : generate();
        context.request().headers().set(HEADER, id);
        context.put(HEADER, id);
        return id;
    }

    public static String of(RoutingContext context) {
        String id = context.get(HEADER);
        return id != null ? id : context.request().getHeader(HEADER);
    }

    public static String generate() {
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}
