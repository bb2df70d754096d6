package io.visionplatform.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Counts in Redis, so that every gateway replica sharing it sees the same counts. One Lua script per request reads
 * both windows, decides and increments both only when allowed: Redis runs a script atomically, so concurrent
 * requests from any number of replicas never over-admit. Time is Redis' ({@code TIME}), so replicas with skewed
 * clocks still agree on the window. Errors surface as failures; wrap in {@link FailOpenRateLimiter}.
 */
public class RedisRateLimiter implements RateLimiter {

    /** Key prefix of the counters: {@code rl:{account}:m:<minute start>} and {@code rl:{account}:d:<day start>}. */
    public static final String DEFAULT_KEY_PREFIX = "rl";

    /**
     * KEYS[1] = {@code <prefix>:{<account>}} (the braces are a cluster hash tag: both windows share a slot);
     * ARGV[1] = per-minute limit, ARGV[2] = per-day limit (0 = unlimited, that window is not counted).
     * Returns {allowed, minute count, day count, now, seconds to minute reset, seconds to day reset}; counts include
     * this request when allowed. Calling TIME before writing is allowed since Redis 5 (effects replication, the only
     * mode in Redis 7).
     */
    static final String SCRIPT = """
            local now = tonumber(redis.call('TIME')[1])
            local perMinute = tonumber(ARGV[1])
            local perDay = tonumber(ARGV[2])
            local minuteEnd = now - (now % 60) + 60
            local dayEnd = now - (now % 86400) + 86400
            local minuteKey = KEYS[1] .. ':m:' .. (minuteEnd - 60)
            local dayKey = KEYS[1] .. ':d:' .. (dayEnd - 86400)
            local minuteCount = 0
            local dayCount = 0
            if perMinute > 0 then
              minuteCount = tonumber(redis.call('GET', minuteKey) or '0')
            end
            if perDay > 0 then
              dayCount = tonumber(redis.call('GET', dayKey) or '0')
            end
            if (perMinute > 0 and minuteCount >= perMinute) or (perDay > 0 and dayCount >= perDay) then
              return {0, minuteCount, dayCount, now, minuteEnd - now, dayEnd - now}
            end
            if perMinute > 0 then
              minuteCount = redis.call('INCR', minuteKey)
              redis.call('EXPIREAT', minuteKey, minuteEnd)
            end
            if perDay > 0 then
              dayCount = redis.call('INCR', dayKey)
              redis.call('EXPIREAT', dayKey, dayEnd)
            end
            return {1, minuteCount, dayCount, now, minuteEnd - now, dayEnd - now}
            """;

    private final Redis redis;
    private final String keyPrefix;
    private final String script;
    private final String sha;

    public RedisRateLimiter(Redis redis) {
        this(redis, DEFAULT_KEY_PREFIX);
    }

    public RedisRateLimiter(Redis redis, String keyPrefix) {
        this(redis, keyPrefix, SCRIPT);
    }

    RedisRateLimiter(Redis redis, String keyPrefix, String script) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.script = script;
        this.sha = sha1(script);
    }

    @Override
    public Uni<RateLimitDecision> acquire(String accountId, PlanLimits limits) {
        if (limits.isUnlimited()) {
            return Uni.createFrom().item(RateLimitDecision.unlimited());
        }
        String key = accountKey(accountId);
        // EVALSHA sends 40 bytes instead of the script; after a Redis restart or SCRIPT FLUSH, EVAL loads it again.
        return redis.send(scriptCall(Command.EVALSHA, sha, key, limits))
                .onFailure(RedisRateLimiter::isNoScript)
                .recoverWithUni(() -> redis.send(scriptCall(Command.EVAL, script, key, limits)))
                .map(response -> toDecision(response, limits));
    }

    /** The SHA-1 the script is cached under in Redis. */
    String scriptSha() {
        return sha;
    }

    String accountKey(String accountId) {
        return keyPrefix + ":{" + accountId + "}";
    }

    private static Request scriptCall(Command command, String scriptOrSha, String key, PlanLimits limits) {
        return Request.cmd(command)
                .arg(scriptOrSha)
                .arg(1)
                .arg(key)
                .arg(limits.perMinute())
                .arg(limits.perDay());
    }

    private static RateLimitDecision toDecision(Response response, PlanLimits limits) {
        boolean allowed = response.get(0).toLong() == 1;
        long minuteCount = response.get(1).toLong();
        long dayCount = response.get(2).toLong();
        long now = response.get(3).toLong();
        return RateLimitDecision.of(limits, allowed,
                minuteCount, now + response.get(4).toLong(),
                dayCount, now + response.get(5).toLong(),
                now);
    }

    private static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
