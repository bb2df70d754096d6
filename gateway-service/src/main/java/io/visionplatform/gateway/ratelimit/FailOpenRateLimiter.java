package io.visionplatform.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Lets requests through when the counters cannot be reached: a limiter that errors or answers later than the
 * timeout yields an allowed decision, never a failure (so never a 500). Rate limiting is a protection, not a
 * dependency: a Redis outage must not take the API down. Each such request increments
 * {@code platform.ratelimit.failopen}; a warning is logged at most once per {@link #LOG_INTERVAL} with the
 * number of requests let through since the previous one.
 */
public class FailOpenRateLimiter implements RateLimiter {

    public static final String FAIL_OPEN_COUNTER = "platform.ratelimit.failopen";
    static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(FailOpenRateLimiter.class);

    private final RateLimiter delegate;
    private final Duration timeout;
    private final Clock clock;
    private final Counter failOpen;
    private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unloggedFailures = new AtomicLong();

    public FailOpenRateLimiter(RateLimiter delegate, Duration timeout, MeterRegistry registry, Clock clock) {
        this.delegate = delegate;
        this.timeout = timeout;
        this.clock = clock;
        this.failOpen = Counter.builder(FAIL_OPEN_COUNTER)
                .description("Requests let through because the rate-limit counters could not be reached")
                .register(registry);
    }

    @Override
    public Uni<RateLimitDecision> acquire(String accountId, PlanLimits limits) {
        return Uni.createFrom().deferred(() -> delegate.acquire(accountId, limits))
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> allow(limits, failure));
    }

    private RateLimitDecision allow(PlanLimits limits, Throwable failure) {
        failOpen.increment();
        warnNowAndThen(failure);
        return RateLimitDecision.failOpen(limits, clock.instant().getEpochSecond());
    }

    private void warnNowAndThen(Throwable failure) {
        unloggedFailures.incrementAndGet();
        long now = clock.millis();
        long due = nextLogAt.get();
        if (now < due || !nextLogAt.compareAndSet(due, now + LOG_INTERVAL.toMillis())) {
            return;
        }
        LOG.warnf("Rate-limit counters unreachable, letting requests through (%d since the last warning): %s",
                unloggedFailures.getAndSet(0), describe(failure));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + message;
    }
}
