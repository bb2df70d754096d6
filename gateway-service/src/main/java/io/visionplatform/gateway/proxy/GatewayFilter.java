package io.visionplatform.gateway.proxy;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.web.RouteFilter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.http.ErrorResponses;
import io.visionplatform.gateway.auth.Authenticator;
import io.visionplatform.gateway.auth.IdentityTokenIssuer;
import io.visionplatform.gateway.auth.Principal;
import io.visionplatform.gateway.auth.Scopes;
import io.visionplatform.gateway.ratelimit.PlanLimits;
import io.visionplatform.gateway.ratelimit.RateLimitDecision;
import io.visionplatform.gateway.ratelimit.RateLimiter;

/**
 * Every {@code /api/**} request passes here first: authentication (API key or Keycloak JWT), the per-account
 * rate limit with its headers, the route's scope, then either forwarding to the owning service or the
 * gateway's own endpoints. Unauthenticated callers are limited per IP address at the free plan's rate, so
 * guessing keys is rate limited too.
 */
@ApplicationScoped
public class GatewayFilter {

    /** Where the gateway's own REST endpoints find the caller. */
    public static final String PRINCIPAL = "platform.principal";

    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final IdentityTokenIssuer identityTokens;
    private final UpstreamProxy proxy;

    public GatewayFilter(Authenticator authenticator, RateLimiter rateLimiter, IdentityTokenIssuer identityTokens,
            UpstreamProxy proxy) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.identityTokens = identityTokens;
        this.proxy = proxy;
    }

    public static Principal principal(RoutingContext context) {
        Principal principal = context.get(PRINCIPAL);
        if (principal == null) {
            throw PlatformException.unauthorized("Not authenticated");
        }
        return principal;
    }

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 10)
    void filter(RoutingContext context) {
        String path = context.normalizedPath();
        if (!path.startsWith("/api/")) {
            context.next();
            return;
        }
        Optional<Route> route = RouteTable.resolve(path);
        if (route.isPresent() && route.get().open()) {
            context.next();
            return;
        }
        // Nothing reads the body until the caller is known; it then streams straight to its destination.
        context.request().pause();
        Context requestContext = Vertx.currentContext();
        authenticateAndLimit(context)
                .emitOn(command -> requestContext.runOnContext(ignored -> command.run()))
                .subscribe()
                .with(admitted -> dispatch(context, route, admitted.getItem1(), admitted.getItem2()),
                        failure -> reject(context, failure));
    }

    private Uni<Tuple2<Principal, RateLimitDecision>> authenticateAndLimit(RoutingContext context) {
        return authenticator.authenticate(context.request().getHeader("Authorization"))
                .onFailure(PlatformException.class)
                .call(failure -> limitAnonymous(context))
                .chain(principal -> rateLimiter.acquire(principal.accountId(), principal.limits())
                        .map(decision -> Tuple2.of(principal, decision)));
    }

    /** Counts a failed authentication against the caller's address, and answers 429 once that is exhausted. */
    private Uni<RateLimitDecision> limitAnonymous(RoutingContext context) {
        String address = context.request().remoteAddress() != null ? context.request().remoteAddress().hostAddress()
                : "unknown";
        return rateLimiter.acquire("ip:" + address, PlanLimits.FREE)
                .invoke(decision -> applyHeaders(context, decision))
                .invoke(decision -> {
                    if (!decision.allowed()) {
                        throw tooManyRequests(decision);
                    }
                });
    }

    private void dispatch(RoutingContext context, Optional<Route> route, Principal principal,
            RateLimitDecision decision) {
        applyHeaders(context, decision);
        if (!decision.allowed()) {
            reject(context, tooManyRequests(decision));
            return;
        }
        boolean safe = context.request().method() == HttpMethod.GET || context.request().method() == HttpMethod.HEAD
                || context.request().method() == HttpMethod.OPTIONS;
        if (route.isPresent() && !Scopes.permits(principal.scopes(), route.get().scopeGroup(), safe)) {
            reject(context, PlatformException.forbidden("This API key lacks the scope for " + context.normalizedPath()
                    + " (needs " + route.get().scopeGroup() + ", write or admin)"));
            return;
        }
        context.put(PRINCIPAL, principal);
        if (route.isPresent() && route.get().proxied()) {
            proxy.forward(context, route.get().upstream(), identityTokens.issue(principal));
            return;
        }
        context.request().resume();
        context.next();
    }

    private static void applyHeaders(RoutingContext context, RateLimitDecision decision) {
        decision.headers().forEach((name, value) -> context.response().headers().set(name, value));
    }

    private static PlatformException tooManyRequests(RateLimitDecision decision) {
        return new PlatformException(ErrorCode.RATE_LIMITED, 429,
                "Rate limit exceeded; retry after " + decision.retryAfterSeconds() + " s",
                java.util.Map.of("limit", decision.limit(), "retryAfterSeconds", decision.retryAfterSeconds()));
    }

    private static void reject(RoutingContext context, Throwable failure) {
        if (failure instanceof PlatformException platform) {
            ErrorResponses.write(context, platform);
            return;
        }
        context.fail(failure);
    }
}
