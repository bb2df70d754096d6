package io.visionplatform.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.visionplatform.gateway.ratelimit.RateLimitDecision.Window;

class RateLimitPlansTest {

    @Test
    void plansHaveTheContractsLimits() {
        assertThat(PlanLimits.forPlan("free", null, null)).isEqualTo(new PlanLimits(60, 1_000));
        assertThat(PlanLimits.forPlan("pro", null, null)).isEqualTo(new PlanLimits(300, 50_000));
        assertThat(PlanLimits.forPlan("PRO", 5, 5)).as("custom values are for enterprise only").isEqualTo(PlanLimits.PRO);
    }

    @Test
    void enterpriseTakesCustomLimits() {
        assertThat(PlanLimits.forPlan("enterprise", 1_000, 2_000_000)).isEqualTo(new PlanLimits(1_000, 2_000_000));
        assertThat(PlanLimits.forPlan("enterprise", null, null)).isEqualTo(PlanLimits.PRO);
        assertThat(PlanLimits.forPlan("enterprise", 0, -1)).isEqualTo(PlanLimits.unlimited());
        assertThat(PlanLimits.unlimited().isUnlimited()).isTrue();
    }

    @Test
    void unknownPlansGetTheFreeLimits() {
        assertThat(PlanLimits.forPlan(null, null, null)).isEqualTo(PlanLimits.FREE);
        assertThat(PlanLimits.forPlan("platinum", 0, 0)).isEqualTo(PlanLimits.FREE);
    }

    @Test
    void headersOfAnAllowedRequest() {
        RateLimitDecision decision = RateLimitDecision.of(PlanLimits.FREE, true, 5, 1_640_000_040, 5, 1_640_044_800,
                1_640_000_000);

        assertThat(RateLimitDecision.headers(decision)).containsExactly(
                entry("X-RateLimit-Limit", "60"),
                entry("X-RateLimit-Remaining", "55"),
                entry("X-RateLimit-Reset", "1640000040"));
        assertThat(decision.blockedBy()).isNull();
    }

    @Test
    void headersOfARefusedRequest() {
        RateLimitDecision decision = RateLimitDecision.of(PlanLimits.FREE, false, 60, 1_640_000_040, 200,
                1_640_044_800, 1_640_000_000);

        assertThat(decision.blockedBy()).isEqualTo(Window.MINUTE);
        assertThat(RateLimitDecision.headers(decision)).containsExactly(
                entry("X-RateLimit-Limit", "60"),
                entry("X-RateLimit-Remaining", "0"),
                entry("X-RateLimit-Reset", "1640000040"),
                entry("Retry-After", "40"));
    }

    @Test
    void bothWindowsFullBlocksOnTheDay() {
        RateLimitDecision decision = RateLimitDecision.of(PlanLimits.FREE, false, 60, 1_640_000_040, 1_000,
                1_640_044_800, 1_640_000_000);

        assertThat(decision.blockedBy()).isEqualTo(Window.DAY);
        assertThat(decision.retryAfterSeconds()).isEqualTo(44_800);
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        RateLimitDecision decision = RateLimitDecision.of(PlanLimits.FREE, false, 60, 1_640_000_000, 60,
                1_640_044_800, 1_640_000_000);

        assertThat(decision.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void failOpenShowsTheFullMinute() {
        RateLimitDecision decision = RateLimitDecision.failOpen(PlanLimits.PRO, 1_640_000_010);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.headers()).containsEntry("X-RateLimit-Limit", "300")
                .containsEntry("X-RateLimit-Remaining", "300")
                .containsEntry("X-RateLimit-Reset", "1640000040")
                .doesNotContainKey("Retry-After");
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
