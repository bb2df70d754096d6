package io.visionplatform.gateway.ratelimit;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Uni;

/**
 * Counts in this JVM, with the same windows and answers as {@link RedisRateLimiter}. Exact for a single gateway
 * replica only: each replica would count on its own, so N replicas admit up to N times the limit. Used when no
 * Redis is configured. Memory: one small entry per account active in the current day, swept once its windows
 * are over.
 */
public class InMemoryRateLimiter implements RateLimiter {

    private static final long SWEEP_INTERVAL_SECONDS = 60;

    private final Clock clock;
    private final ConcurrentMap<String, Counts> accounts = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong();

    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Uni<RateLimitDecision> acquire(String accountId, PlanLimits limits) {
        return Uni.createFrom().item(() -> decide(accountId, limits));
    }

    /** The decision, taken synchronously (no I/O): check and increment happen under the account's map lock. */
    RateLimitDecision decide(String accountId, PlanLimits limits) {
        if (limits.isUnlimited()) {
            return RateLimitDecision.unlimited();
        }
        long now = clock.instant().getEpochSecond();
        long minuteStart = RateLimitDecision.windowStart(now, RateLimitDecision.MINUTE_SECONDS);
        long dayStart = RateLimitDecision.windowStart(now, RateLimitDecision.DAY_SECONDS);
        RateLimitDecision[] decision = new RateLimitDecision[1];
        accounts.compute(accountId, (id, previous) -> {
            long minuteCount = previous != null && previous.minuteStart() == minuteStart ? previous.minuteCount() : 0;
            long dayCount = previous != null && previous.dayStart() == dayStart ? previous.dayCount() : 0;
            boolean allowed = !(limits.minuteLimited() && minuteCount >= limits.perMinute())
                    && !(limits.dayLimited() && dayCount >= limits.perDay());
            if (allowed) {
                minuteCount += limits.minuteLimited() ? 1 : 0;
                dayCount += limits.dayLimited() ? 1 : 0;
            }
            decision[0] = RateLimitDecision.of(limits, allowed,
                    minuteCount, minuteStart + RateLimitDecision.MINUTE_SECONDS,
                    dayCount, dayStart + RateLimitDecision.DAY_SECONDS,
                    now);
            long expiresAt = dayCount > 0 ? dayStart + RateLimitDecision.DAY_SECONDS
                    : minuteStart + RateLimitDecision.MINUTE_SECONDS;
            return new Counts(minuteStart, minuteCount, dayStart, dayCount, expiresAt);
        });
        sweepIfDue(now);
        return decision[0];
    }

    /** Accounts currently held in memory. */
    int trackedAccounts() {
        return accounts.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_INTERVAL_SECONDS)) {
            return;
        }
        // computeIfPresent re-checks under the entry's lock, so a concurrent acquire is never lost.
        for (String accountId : accounts.keySet()) {
            accounts.computeIfPresent(accountId, (id, counts) -> counts.expiresAt() <= now ? null : counts);
        }
    }

    private record Counts(long minuteStart, long minuteCount, long dayStart, long dayCount, long expiresAt) {
    }
}
