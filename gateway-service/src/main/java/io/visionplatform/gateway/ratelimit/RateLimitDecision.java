package io.visionplatform.gateway.ratelimit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer for one request.
 *
 * @param allowed whether the request may proceed (it was counted) or gets a 429 (it was not counted)
 * @param limit the per-minute limit (the per-day one when only the day is limited); what {@code X-RateLimit-Limit}
 *        shows. Zero or below for an unlimited account.
 * @param remaining requests left before one of the windows refuses: the minimum over the windows, never negative
 * @param resetEpochSeconds unix seconds when the window that limits next ({@code window}) starts afresh
 * @param retryAfterSeconds when refused, seconds until the blocking window resets (at least 1); 0 when allowed
 * @param window the window that limits next: the one that refused the request, or, when allowed, the one with the
 *        fewest requests left (the day on a tie, since the minute resetting would not help). Null when unlimited.
 */
public record RateLimitDecision(boolean allowed, int limit, long remaining, long resetEpochSeconds,
        long retryAfterSeconds, Window window) {

    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    public static final String RESET_HEADER = "X-RateLimit-Reset";
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    static final long MINUTE_SECONDS = 60;
    static final long DAY_SECONDS = 86_400;

    private static final RateLimitDecision UNLIMITED = new RateLimitDecision(true, 0, 0, 0, 0, null);

    /** The two fixed windows every account is counted in. */
    public enum Window {
        /** The current minute, aligned to :00 seconds. */
        MINUTE,
        /** The current UTC day, aligned to 00:00:00Z. */
        DAY
    }

    /** The decision for an account without limits: allowed, no headers. */
    public static RateLimitDecision unlimited() {
        return UNLIMITED;
    }

    /**
     * The decision when the counters cannot be reached (fail open): allowed, the full minute limit shown as
     * remaining, reset at the end of the current minute by the gateway's clock.
     */
    public static RateLimitDecision failOpen(PlanLimits limits, long nowEpochSeconds) {
        if (limits.isUnlimited()) {
            return UNLIMITED;
        }
        Window window = limits.minuteLimited() ? Window.MINUTE : Window.DAY;
        long windowSeconds = window == Window.MINUTE ? MINUTE_SECONDS : DAY_SECONDS;
        int limit = headerLimit(limits);
        return new RateLimitDecision(true, limit, limit, windowStart(nowEpochSeconds, windowSeconds) + windowSeconds, 0,
                window);
    }

    /**
     * The decision from the counts of both windows (after this request's increment when allowed), shared by the
     * Redis and in-memory limiters so that they answer alike.
     */
    static RateLimitDecision of(PlanLimits limits, boolean allowed, long minuteCount, long minuteResetEpochSeconds,
            long dayCount, long dayResetEpochSeconds, long nowEpochSeconds) {
        if (limits.isUnlimited()) {
            return UNLIMITED;
        }
        long minuteLeft = limits.minuteLimited() ? Math.max(0, limits.perMinute() - minuteCount) : Long.MAX_VALUE;
        long dayLeft = limits.dayLimited() ? Math.max(0, limits.perDay() - dayCount) : Long.MAX_VALUE;
        boolean dayLimits = dayLeft <= minuteLeft;
        Window window = dayLimits ? Window.DAY : Window.MINUTE;
        long remaining = dayLimits ? dayLeft : minuteLeft;
        long reset = dayLimits ? dayResetEpochSeconds : minuteResetEpochSeconds;
        long retryAfter = allowed ? 0 : Math.max(1, reset - nowEpochSeconds);
        return new RateLimitDecision(allowed, headerLimit(limits), remaining, reset, retryAfter, window);
    }

    static long windowStart(long epochSeconds, long windowSeconds) {
        return epochSeconds - Math.floorMod(epochSeconds, windowSeconds);
    }

    private static int headerLimit(PlanLimits limits) {
        return limits.minuteLimited() ? limits.perMinute() : limits.perDay();
    }

    /** Whether the account has no limits (then no rate-limit headers are sent). */
    public boolean unlimitedAccount() {
        return window == null;
    }

    /** The window that refused the request; null when allowed. */
    public Window blockedBy() {
        return allowed ? null : window;
    }

    /** This decision's response headers; see {@link #headers(RateLimitDecision)}. */
    public Map<String, String> headers() {
        return headers(this);
    }

    /**
     * The response headers of a decision: {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining},
     * {@code X-RateLimit-Reset} (unix seconds), plus {@code Retry-After} (seconds) when refused. Empty for an
     * unlimited account.
     */
    public static Map<String, String> headers(RateLimitDecision decision) {
        if (decision.unlimitedAccount()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIMIT_HEADER, Integer.toString(decision.limit()));
        headers.put(REMAINING_HEADER, Long.toString(decision.remaining()));
        headers.put(RESET_HEADER, Long.toString(decision.resetEpochSeconds()));
        if (!decision.allowed()) {
            headers.put(RETRY_AFTER_HEADER, Long.toString(decision.retryAfterSeconds()));
        }
        return Collections.unmodifiableMap(headers);
    }
}
