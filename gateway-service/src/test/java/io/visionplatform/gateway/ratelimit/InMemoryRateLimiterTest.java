package io.visionplatform.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.visionplatform.gateway.ratelimit.RateLimitDecision.Window;

class InMemoryRateLimiterTest {

    // 2024-01-15T10:20:15Z: 15 s into a minute, 45 s before the next one
    private static final Instant START = Instant.parse("2024-01-15T10:20:15Z");
    private static final long NEXT_MINUTE = Instant.parse("2024-01-15T10:21:00Z").getEpochSecond();
    private static final long NEXT_DAY = Instant.parse("2024-01-16T00:00:00Z").getEpochSecond();

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

    @Test
    void freeAllowsSixtyThenRefusesWithRetryAfterToTheNextMinute() {
        for (int i = 1; i <= 60; i++) {
            RateLimitDecision decision = acquire("acct_a", PlanLimits.FREE);
            assertThat(decision.allowed()).as("request %d", i).isTrue();
            assertThat(decision.remaining()).isEqualTo(60 - i);
        }
        RateLimitDecision refused = acquire("acct_a", PlanLimits.FREE);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.blockedBy()).isEqualTo(Window.MINUTE);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(45);
        assertThat(refused.resetEpochSeconds()).isEqualTo(NEXT_MINUTE);
        assertThat(refused.headers())
                .containsEntry("X-RateLimit-Limit", "60")
                .containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("X-RateLimit-Reset", Long.toString(NEXT_MINUTE))
                .containsEntry("Retry-After", "45");
    }

    @Test
    void otherAccountsHaveTheirOwnQuota() {
        exhaust("acct_a", PlanLimits.FREE, 60);

        assertThat(acquire("acct_b", PlanLimits.FREE).allowed()).isTrue();
    }

    @Test
    void minuteWindowResetsAtTheMinuteBoundary() {
        exhaust("acct_a", PlanLimits.FREE, 60);
        clock.set(Instant.parse("2024-01-15T10:20:59.999Z"));
        assertThat(acquire("acct_a", PlanLimits.FREE).allowed()).isFalse();

        clock.set(Instant.parse("2024-01-15T10:21:00Z"));
        RateLimitDecision decision = acquire("acct_a", PlanLimits.FREE);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.remaining()).isEqualTo(59);
        assertThat(decision.resetEpochSeconds()).isEqualTo(NEXT_MINUTE + 60);
    }

    @Test
    void refusedRequestsDoNotConsumeQuota() {
        PlanLimits limits = new PlanLimits(3, 4);
        exhaust("acct_a", limits, 3);
        for (int i = 0; i < 20; i++) {
            assertThat(acquire("acct_a", limits).allowed()).isFalse();
        }
        clock.advance(Duration.ofMinutes(1));

        // The day saw 3 allowed requests, not 23: one more fits
        assertThat(acquire("acct_a", limits).allowed()).isTrue();
        RateLimitDecision refused = acquire("acct_a", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.blockedBy()).isEqualTo(Window.DAY);
    }

    @Test
    void dayWindowBlocksEvenWhenTheMinuteHasRoom() {
        PlanLimits limits = new PlanLimits(10, 25);
        int allowed = 0;
        // 10 a minute for 3 minutes: the third minute stops at 5
        for (int minute = 0; minute < 3; minute++) {
            for (int i = 0; i < 10; i++) {
                allowed += acquire("acct_a", limits).allowed() ? 1 : 0;
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(allowed).isEqualTo(25);

        RateLimitDecision refused = acquire("acct_a", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.blockedBy()).isEqualTo(Window.DAY);
        assertThat(refused.resetEpochSeconds()).isEqualTo(NEXT_DAY);
        assertThat(refused.retryAfterSeconds()).isEqualTo(NEXT_DAY - clock.instant().getEpochSecond());
        assertThat(refused.headers()).containsEntry("X-RateLimit-Limit", "10").containsEntry("X-RateLimit-Remaining", "0");

        clock.set(Instant.parse("2024-01-16T00:00:00Z"));
        assertThat(acquire("acct_a", limits).allowed()).isTrue();
    }

    @Test
    void freeDayQuotaIsOneThousand() {
        int allowed = 0;
        for (int minute = 0; minute < 20; minute++) {
            for (int i = 0; i < 60; i++) {
                allowed += acquire("acct_a", PlanLimits.FREE).allowed() ? 1 : 0;
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(allowed).isEqualTo(1000);
    }

    @Test
    void remainingAndResetFollowTheWindowThatLimitsNext() {
        PlanLimits limits = new PlanLimits(10, 12);
        RateLimitDecision first = acquire("acct_a", limits);
        // minute: 9 left, day: 11 left -> the minute limits next
        assertThat(first.remaining()).isEqualTo(9);
        assertThat(first.window()).isEqualTo(Window.MINUTE);
        assertThat(first.resetEpochSeconds()).isEqualTo(NEXT_MINUTE);
        assertThat(first.retryAfterSeconds()).isZero();
        assertThat(first.headers()).doesNotContainKey("Retry-After");

        clock.advance(Duration.ofMinutes(1));
        exhaust("acct_a", limits, 8);
        RateLimitDecision later = acquire("acct_a", limits);
        // day: 12 - 10 = 2 left; minute: 10 - 9 = 1 left
        assertThat(later.remaining()).isEqualTo(1);
        assertThat(later.window()).isEqualTo(Window.MINUTE);
        RateLimitDecision dayNext = acquire("acct_a", limits);
        // day: 1 left, minute: 0 left -> minute still limits (its 0 is the least)
        assertThat(dayNext.remaining()).isZero();
        assertThat(dayNext.window()).isEqualTo(Window.MINUTE);

        clock.advance(Duration.ofMinutes(1));
        RateLimitDecision last = acquire("acct_a", limits);
        // day exhausted (12), minute 9 left: the day limits and resets at midnight
        assertThat(last.allowed()).isTrue();
        assertThat(last.remaining()).isZero();
        assertThat(last.window()).isEqualTo(Window.DAY);
        assertThat(last.resetEpochSeconds()).isEqualTo(NEXT_DAY);
    }

    @Test
    void unlimitedAccountsAreNeverRefusedAndGetNoHeaders() {
        for (int i = 0; i < 5_000; i++) {
            RateLimitDecision decision = acquire("acct_admin", PlanLimits.unlimited());
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.headers()).isEmpty();
        }
        assertThat(limiter.trackedAccounts()).isZero();
    }

    @Test
    void unlimitedMinuteStillCountsTheDay() {
        PlanLimits limits = PlanLimits.forPlan("enterprise", 0, 100);
        exhaust("acct_e", limits, 100);

        RateLimitDecision refused = acquire("acct_e", limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.blockedBy()).isEqualTo(Window.DAY);
        assertThat(refused.limit()).isEqualTo(100);
    }

    @Test
    void expiredWindowsAreEvicted() {
        for (int i = 0; i < 500; i++) {
            acquire("acct_" + i, PlanLimits.FREE);
        }
        acquire("acct_minute_only", new PlanLimits(5, 0));
        assertThat(limiter.trackedAccounts()).isEqualTo(501);

        clock.advance(Duration.ofMinutes(2));
        acquire("acct_0", PlanLimits.FREE);
        // Day windows still running: only the minute-only account is gone
        assertThat(limiter.trackedAccounts()).isEqualTo(500);

        clock.set(Instant.parse("2024-01-16T00:05:00Z"));
        acquire("acct_new", PlanLimits.FREE);
        assertThat(limiter.trackedAccounts()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsAdmitExactlyTheLimit() throws Exception {
        int threads = 32;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                start.await();
                int allowed = 0;
                for (int i = 0; i < perThread; i++) {
                    allowed += acquire("acct_busy", PlanLimits.PRO).allowed() ? 1 : 0;
                }
                return allowed;
            });
        }
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Callable<Integer> task : tasks) {
                results.add(pool.submit(task));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Integer> result : results) {
                allowed += result.get(10, TimeUnit.SECONDS);
            }
            assertThat(allowed).isEqualTo(300);
        } finally {
            pool.shutdownNow();
        }
        assertThat(acquire("acct_busy", PlanLimits.PRO).allowed()).isFalse();
    }

    private RateLimitDecision acquire(String account, PlanLimits limits) {
        return limiter.acquire(account, limits).await().atMost(Duration.ofSeconds(1));
    }

    private void exhaust(String account, PlanLimits limits, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(acquire(account, limits).allowed()).as("request %d of %d", i + 1, count).isTrue();
        }
    }
}
