/**
 * <h2>Rate limits per account and plan</h2>
 *
 * <p>
 * Every request of an account is counted in two <b>fixed windows</b>: the current minute (aligned to :00 seconds)
 * and the current UTC day (aligned to 00:00:00Z). Plans: Free 60/min and 1,000/day, Pro 300/min and 50,000/day,
 * Enterprise custom per account ({@link io.visionplatform.gateway.ratelimit.PlanLimits#forPlan}); a limit of zero
 * or below means that window is unlimited, both unlimited means no limiting and no headers (benchmarks, admin).
 * Fixed windows were chosen over sliding ones because they are what the {@code X-RateLimit-Reset} header describes
 * (one instant when the quota comes back), cost one counter per window and are exact; the price is that a client
 * can make up to twice the minute limit across a minute boundary, which the day window still caps.
 *
 * <h3>Algorithm</h3>
 * <p>
 * A request is allowed only when <b>both</b> windows have room; then both counters are incremented. A refused
 * request increments nothing, so a client hammering through a 429 does not push its own reset further away or eat
 * its day quota. {@link io.visionplatform.gateway.ratelimit.RateLimitDecision} carries the headers:
 * {@code X-RateLimit-Limit} (the minute limit), {@code X-RateLimit-Remaining} (the least left over both windows),
 * {@code X-RateLimit-Reset} (unix seconds when the window that limits next resets) and, on a 429,
 * {@code Retry-After} (seconds until the blocking window resets, at least 1; when both windows are full it is the
 * day, since the minute resetting would not help).
 *
 * <h3>Redis: exact across replicas</h3>
 * <p>
 * {@link io.visionplatform.gateway.ratelimit.RedisRateLimiter} runs one Lua script per request (EVALSHA, EVAL on
 * NOSCRIPT). Redis runs scripts atomically, so read-decide-increment cannot interleave between gateway replicas.
 * Keys: {@code rl:{account}:m:<minute start>} and {@code rl:{account}:d:<day start>} (epoch seconds; the braces are a
 * cluster hash tag keeping an account's keys in one slot), each expiring when its window ends. The clock is
 * <b>Redis' own</b> ({@code TIME} inside the script, allowed with effects replication, Redis 7's only mode), so
 * replicas whose clocks drift still agree on the window.
 *
 * <h3>Fail open</h3>
 * <p>
 * {@link io.visionplatform.gateway.ratelimit.FailOpenRateLimiter} wraps the Redis limiter: when Redis errors or does
 * not answer within {@code platform.gateway.rate-limit.redis-timeout} (200 ms), the request is <b>allowed</b>, the
 * counter {@code platform.ratelimit.failopen} is incremented and a warning is logged at most every 30 s. Rate
 * limiting protects the platform; an outage of Redis must not turn into an outage of the API. Redis is therefore
 * optional and has no readiness check.
 *
 * <h3>In memory: one replica only</h3>
 * <p>
 * Without Redis ({@code quarkus.redis.hosts} empty),
 * {@link io.visionplatform.gateway.ratelimit.InMemoryRateLimiter} counts with the same windows in the JVM. It is exact
 * for a single gateway, but N replicas would each admit the full limit (N times the plan), and counts are lost on
 * restart. Entries for accounts whose windows are over are swept every minute, so memory stays proportional to the
 * accounts active in the current day.
 */
package io.visionplatform.gateway.ratelimit;
