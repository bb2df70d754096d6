package io.visionplatform.gateway.ratelimit;

import io.smallrye.mutiny.Uni;

/** Counts one request of an account against its plan's minute and day windows. */
public interface RateLimiter {

    /**
     * Counts the request when both windows have room and says so; a refused request is not counted. Never fails
     * for an infrastructure problem when wrapped in {@link FailOpenRateLimiter}.
     */
    Uni<RateLimitDecision> acquire(String accountId, PlanLimits limits);

    /** A limiter that lets everything through without headers (rate limiting disabled). */
    static RateLimiter disabled() {
        return (accountId, limits) -> Uni.createFrom().item(RateLimitDecision.unlimited());
    }
}
