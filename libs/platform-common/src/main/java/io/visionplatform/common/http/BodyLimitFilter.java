package io.visionplatform.common.http;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.ErrorResponse;

/**
 * Refuses a body announced (Content-Length) larger than the HTTP limit before anything reads it, in the
 * error envelope; Quarkus' own check would answer an empty 413. Bodies without a length are cut by Quarkus
 * and reach {@link HttpFailureHandlers}.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long maxBodyBytes;
    private final List<Pattern> streamedPrefixes;

    /**
     * @param maxBodySize the limit for ordinary bodies; a service whose streamed uploads need more raises
     *        {@code quarkus.http.limits.max-body-size} and keeps this one small
     * @param streamedPrefixes path prefixes exempt from it; {@code *} stands for one path segment
     */
    public BodyLimitFilter(@ConfigProperty(name = "platform.http.max-body-size") Optional<MemorySize> maxBodySize,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize transportLimit,
            @ConfigProperty(name = "platform.http.streamed-path-prefixes") Optional<List<String>> streamedPrefixes) {
        this.maxBodyBytes = maxBodySize.orElse(transportLimit).asLongValue();
        this.streamedPrefixes = streamedPrefixes.orElse(List.of())
                .stream()
                .map(BodyLimitFilter::prefixPattern)
                .toList();
    }

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 50)
    void refuseOversizedBodies(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null && declaredLength(length) > maxBodyBytes && !streamed(context.normalizedPath())) {
            ErrorResponse body = ErrorResponse.of(ErrorCode.VALIDATION_ERROR,
                    "Request body is larger than this endpoint accepts",
                    Map.of("limitBytes", maxBodyBytes, "declaredBytes", declaredLength(length)),
                    RequestIds.of(context));
            context.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(Json.encode(body));
            return;
        }
        context.next();
    }

    /** Paths whose bodies are streamed elsewhere (the gateway's proxied routes); their owners enforce limits. */
    private boolean streamed(String path) {
        return streamedPrefixes.stream().anyMatch(prefix -> prefix.matcher(path).lookingAt());
    }

    private static Pattern prefixPattern(String prefix) {
        String[] literals = prefix.split("\\*", -1);
        return Pattern.compile(Arrays.stream(literals)
                .map(Pattern::quote)
                .collect(Collectors.joining("[^/]+")));
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
