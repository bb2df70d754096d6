package io.visionplatform.gateway.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Rate limiting of the gateway. Which counters are used follows {@code quarkus.redis.hosts}: Redis when it is set
 * (shared by every replica), in memory when it is empty (single replica only).
 */
@ConfigMapping(prefix = "platform.gateway.rate-limit")
public interface RateLimitConfig {

    /** Whether requests are rate limited at all; when off, every request passes and no headers are sent. */
    @WithDefault("true")
    boolean enabled();

    /** How long a request waits for Redis before it is let through (fail open). */
    @WithDefault("200ms")
    Duration redisTimeout();

    /** Prefix of the Redis keys: {@code <prefix>:{account}:m:<minute start>}, {@code ...:d:<day start>}. */
    @WithDefault(RedisRateLimiter.DEFAULT_KEY_PREFIX)
    String keyPrefix();
}
