package io.visionplatform.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

class FailOpenRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:20:15Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aLimiterThatNeverAnswersIsCutOffAtTheTimeout() {
        RateLimiter silent = (account, limits) -> Uni.createFrom().nothing();
        RateLimiter limiter = new FailOpenRateLimiter(silent, Duration.ofMillis(200), registry, clock);

        long started = System.nanoTime();
        RateLimitDecision decision = limiter.acquire("acct_a", PlanLimits.FREE).await().atMost(Duration.ofSeconds(2));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.resetEpochSeconds()).isEqualTo(Instant.parse("2024-01-15T10:21:00Z").getEpochSecond());
        assertThat(elapsed).isBetween(Duration.ofMillis(150), Duration.ofSeconds(1));
        assertThat(failOpenCount()).isEqualTo(1.0);
    }

    @Test
    void errorsAndThrowingLimitersAreLetThrough() {
        RateLimiter failing = (account, limits) -> Uni.createFrom().failure(new IllegalStateException("connection refused"));
        RateLimiter throwing = (account, limits) -> {
            throw new IllegalStateException("pool exhausted");
        };
        RateLimiter first = new FailOpenRateLimiter(failing, Duration.ofMillis(200), registry, clock);
        RateLimiter second = new FailOpenRateLimiter(throwing, Duration.ofMillis(200), registry, clock);

        for (int i = 0; i < 10; i++) {
            assertThat(first.acquire("acct_a", PlanLimits.PRO).await().indefinitely().allowed()).isTrue();
            assertThat(second.acquire("acct_a", PlanLimits.PRO).await().indefinitely().allowed()).isTrue();
        }
        assertThat(failOpenCount()).isEqualTo(20.0);
    }

    @Test
    void answersOfTheDelegatePassUnchanged() {
        InMemoryRateLimiter counting = new InMemoryRateLimiter(clock);
        RateLimiter limiter = new FailOpenRateLimiter(counting, Duration.ofMillis(200), registry, clock);
        PlanLimits limits = new PlanLimits(2, 10);

        assertThat(limiter.acquire("acct_a", limits).await().indefinitely().allowed()).isTrue();
        assertThat(limiter.acquire("acct_a", limits).await().indefinitely().allowed()).isTrue();
        RateLimitDecision refused = limiter.acquire("acct_a", limits).await().indefinitely();

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(45);
        assertThat(failOpenCount()).isZero();
    }

    private double failOpenCount() {
        return registry.get(FailOpenRateLimiter.FAIL_OPEN_COUNTER).counter().count();
    }
}
