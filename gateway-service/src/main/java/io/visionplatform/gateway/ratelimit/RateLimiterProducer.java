package io.visionplatform.gateway.ratelimit;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.InjectableInstance;
import io.vertx.mutiny.redis.client.Redis;

/**
 * Chooses the gateway's {@link RateLimiter}. The default Redis client is looked up programmatically: with
 * {@code quarkus.redis.hosts} empty the Redis extension deactivates it, and an inactive bean injected directly
 * would stop the gateway from starting.
 */
@ApplicationScoped
public class RateLimiterProducer {

    private static final Logger LOG = Logger.getLogger(RateLimiterProducer.class);

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter(RateLimitConfig config, InjectableInstance<Redis> redis, MeterRegistry registry) {
        if (!config.enabled()) {
            LOG.info("Rate limiting disabled (platform.gateway.rate-limit.enabled=false)");
            return RateLimiter.disabled();
        }
        Clock clock = Clock.systemUTC();
        List<Redis> active = redis.listActive();
        if (active.isEmpty()) {
            LOG.info("Rate limits counted in memory: no Redis configured (quarkus.redis.hosts), exact for one replica only");
            return new InMemoryRateLimiter(clock);
        }
        LOG.infof("Rate limits counted in Redis, failing open after %d ms", config.redisTimeout().toMillis());
        return new FailOpenRateLimiter(new RedisRateLimiter(active.get(0), config.keyPrefix()), config.redisTimeout(),
                registry, clock);
    }
}
