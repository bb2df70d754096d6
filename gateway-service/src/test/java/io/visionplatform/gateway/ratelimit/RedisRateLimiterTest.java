package io.visionplatform.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import io.visionplatform.gateway.ratelimit.RateLimitDecision.Window;

/**
 * Against the real Redis (PLATFORM_REDIS_URL, else redis://127.0.0.1:6379). Two Vert.x instances with a Redis
 * client each stand for two gateway replicas. Keys carry a prefix unique to this run and are deleted afterwards.
 */
class RedisRateLimiterTest {

    private static final String REDIS_URL = redisUrl();
    private static final String PREFIX = "rltest-" + UUID.randomUUID();

    private static Vertx vertxA;
    private static Vertx vertxB;
    private static Redis redisA;
    private static Redis redisB;
    private static RedisRateLimiter replicaA;
    private static RedisRateLimiter replicaB;

    @BeforeAll
    static void connect() {
        vertxA = Vertx.vertx();
        vertxB = Vertx.vertx();
        redisA = Redis.createClient(vertxA, options(REDIS_URL));
        redisB = Redis.createClient(vertxB, options(REDIS_URL));
        try {
            redisA.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            fail("Redis is not reachable at " + REDIS_URL + " (set PLATFORM_REDIS_URL or start Redis): " + e, e);
        }
        replicaA = new RedisRateLimiter(redisA, PREFIX);
        replicaB = new RedisRateLimiter(redisB, PREFIX);
    }

    @AfterAll
    static void cleanUp() {
        if (redisA != null) {
            for (String key : keys(PREFIX + ":*")) {
                redisA.send(Request.cmd(Command.DEL).arg(key)).await().atMost(Duration.ofSeconds(3));
            }
            redisA.close();
            redisB.close();
        }
        if (vertxA != null) {
            vertxA.closeAndAwait();
            vertxB.closeAndAwait();
        }
    }

    @Test
    void twoReplicasAdmitExactlySixtyOfAHundredConcurrentRequests() {
        awayFromWindowEnd(60, 15);
        String account = "acct_free_" + UUID.randomUUID();
        List<Uni<RateLimitDecision>> requests = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RedisRateLimiter replica = i % 2 == 0 ? replicaA : replicaB;
            requests.add(replica.acquire(account, PlanLimits.FREE));
        }

        List<RateLimitDecision> decisions = Uni.join().all(requests).andFailFast().await().atMost(Duration.ofSeconds(10));

        List<RateLimitDecision> allowed = decisions.stream().filter(RateLimitDecision::allowed).toList();
        List<RateLimitDecision> refused = decisions.stream().filter(d -> !d.allowed()).toList();
        assertThat(allowed).hasSize(60);
        assertThat(refused).hasSize(40);
        assertThat(allowed).extracting(RateLimitDecision::remaining).containsExactlyInAnyOrderElementsOf(range(0, 60));
        assertThat(refused).allSatisfy(decision -> {
            assertThat(decision.retryAfterSeconds()).isBetween(1L, 60L);
            assertThat(decision.blockedBy()).isEqualTo(Window.MINUTE);
            assertThat(decision.remaining()).isZero();
            assertThat(decision.headers()).containsEntry("X-RateLimit-Limit", "60").containsKey("Retry-After");
        });
        long now = redisTime();
        assertThat(refused.get(0).resetEpochSeconds()).isEqualTo(now - now % 60 + 60);
        assertThat(counter(account, "m", now - now % 60)).isEqualTo(60);
        assertThat(counter(account, "d", now - now % 86_400)).isEqualTo(60);
    }

    @Test
    void dayWindowBlocksWhenTheMinuteHasRoom() {
        awayFromWindowEnd(86_400, 15);
        String account = "acct_ent_" + UUID.randomUUID();
        PlanLimits limits = PlanLimits.forPlan("enterprise", 100, 5);
        for (int i = 0; i < 5; i++) {
            RateLimiter replica = i % 2 == 0 ? replicaA : replicaB;
            RateLimitDecision decision = acquire(replica, account, limits);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(4 - i);
            assertThat(decision.limit()).isEqualTo(100);
        }

        RateLimitDecision refused = acquire(replicaB, account, limits);

        long now = redisTime();
        long midnight = now - now % 86_400 + 86_400;
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.blockedBy()).isEqualTo(Window.DAY);
        assertThat(refused.resetEpochSeconds()).isEqualTo(midnight);
        assertThat(refused.retryAfterSeconds()).isBetween(midnight - now, midnight - now + 2);
        assertThat(refused.headers()).containsEntry("X-RateLimit-Reset", Long.toString(midnight))
                .containsEntry("Retry-After", Long.toString(refused.retryAfterSeconds()));
    }

    @Test
    void refusedRequestsDoNotConsumeQuota() {
        awayFromWindowEnd(60, 10);
        String account = "acct_refused_" + UUID.randomUUID();
        PlanLimits limits = new PlanLimits(3, 1_000);
        for (int i = 0; i < 13; i++) {
            acquire(i % 2 == 0 ? replicaA : replicaB, account, limits);
        }

        long now = redisTime();
        assertThat(counter(account, "m", now - now % 60)).isEqualTo(3);
        assertThat(counter(account, "d", now - now % 86_400)).isEqualTo(3);
        long minuteTtl = ttl(replicaA.accountKey(account) + ":m:" + (now - now % 60));
        long dayTtl = ttl(replicaA.accountKey(account) + ":d:" + (now - now % 86_400));
        assertThat(minuteTtl).isBetween(1L, 60L);
        assertThat(dayTtl).isBetween(1L, 86_400L);
    }

    @Test
    void unlimitedAccountsDoNotTouchRedis() {
        String account = "acct_admin_" + UUID.randomUUID();
        for (int i = 0; i < 200; i++) {
            assertThat(acquire(replicaA, account, PlanLimits.unlimited()).allowed()).isTrue();
        }
        assertThat(keys(replicaA.accountKey(account).replace("{", "\\{").replace("}", "\\}") + "*")).isEmpty();
    }

    @Test
    void scriptMissingFromTheCacheIsLoadedWithEval() {
        // A script text never sent before: EVALSHA answers NOSCRIPT, the limiter falls back to EVAL
        String script = RedisRateLimiter.SCRIPT + "-- " + UUID.randomUUID() + "\n";
        RedisRateLimiter fresh = new RedisRateLimiter(redisA, PREFIX, script);
        assertThat(scriptExists(fresh.scriptSha())).isFalse();

        RateLimitDecision decision = acquire(fresh, "acct_noscript_" + UUID.randomUUID(), PlanLimits.FREE);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.remaining()).isEqualTo(59);
        assertThat(scriptExists(fresh.scriptSha())).isTrue();
    }

    @Test
    void unreachableRedisFailsOpenQuickly() {
        Redis closedPort = Redis.createClient(vertxA, options("redis://127.0.0.1:1"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimiter limiter = new FailOpenRateLimiter(new RedisRateLimiter(closedPort, PREFIX), Duration.ofMillis(200),
                registry, Clock.systemUTC());
        try {
            long started = System.nanoTime();
            RateLimitDecision first = acquire(limiter, "acct_x", PlanLimits.FREE);
            RateLimitDecision second = acquire(limiter, "acct_x", PlanLimits.FREE);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertThat(first.allowed()).isTrue();
            assertThat(second.allowed()).isTrue();
            assertThat(first.headers()).containsEntry("X-RateLimit-Limit", "60").doesNotContainKey("Retry-After");
            assertThat(registry.get(FailOpenRateLimiter.FAIL_OPEN_COUNTER).counter().count()).isEqualTo(2.0);
            assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
        } finally {
            closedPort.close();
        }
    }

    private static RateLimitDecision acquire(RateLimiter limiter, String account, PlanLimits limits) {
        return limiter.acquire(account, limits).await().atMost(Duration.ofSeconds(3));
    }

    private static Response send(Request request) {
        return redisA.send(request).await().atMost(Duration.ofSeconds(3));
    }

    private static long redisTime() {
        return send(Request.cmd(Command.TIME)).get(0).toLong();
    }

    /** Waits out the end of the current window when it is near, so one test's requests share one window. */
    private static void awayFromWindowEnd(long windowSeconds, long marginSeconds) {
        long now = redisTime();
        long left = windowSeconds - now % windowSeconds;
        if (left <= marginSeconds) {
            try {
                Thread.sleep(left * 1000 + 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static long counter(String account, String window, long windowStart) {
        Response value = send(Request.cmd(Command.GET).arg(replicaA.accountKey(account) + ":" + window + ":" + windowStart));
        return value == null ? 0 : value.toLong();
    }

    private static long ttl(String key) {
        return send(Request.cmd(Command.TTL).arg(key)).toLong();
    }

    private static boolean scriptExists(String sha) {
        return send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(sha)).get(0).toLong() == 1;
    }

    private static List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Response page = send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            page.get(1).forEach(key -> keys.add(key.toString()));
        } while (!"0".equals(cursor));
        return keys;
    }

    private static List<Long> range(long fromInclusive, long toExclusive) {
        List<Long> values = new ArrayList<>();
        for (long value = fromInclusive; value < toExclusive; value++) {
            values.add(value);
        }
        return values;
    }

    private static RedisOptions options(String url) {
        // 100 concurrent requests per test: more than the default pool (6) and wait queue (24) take
        return new RedisOptions().setConnectionString(url).setMaxPoolSize(8).setMaxPoolWaiting(256);
    }

    private static String redisUrl() {
        String url = System.getenv("PLATFORM_REDIS_URL");
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
    }
}
