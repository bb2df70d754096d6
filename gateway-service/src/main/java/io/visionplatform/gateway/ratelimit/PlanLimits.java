package io.visionplatform.gateway.ratelimit;

import java.util.Locale;

/**
 * How many requests an account may make per minute and per UTC day. A limit of zero (or below) means that window
 * is unlimited; both unlimited means the account is not rate limited at all (benchmarks, admin).
 */
public record PlanLimits(int perMinute, int perDay) {

    /** Free plan: 60 / minute, 1,000 / day. */
    public static final PlanLimits FREE = new PlanLimits(60, 1_000);

    /** Pro plan: 300 / minute, 50,000 / day. */
    public static final PlanLimits PRO = new PlanLimits(300, 50_000);

    private static final PlanLimits UNLIMITED = new PlanLimits(0, 0);

    public PlanLimits {
        // One representation for "unlimited", so equal limits compare equal
        perMinute = Math.max(0, perMinute);
        perDay = Math.max(0, perDay);
    }

    /** No limit in either window. */
    public static PlanLimits unlimited() {
        return UNLIMITED;
    }

    /**
     * The limits of a plan. {@code free} and {@code pro} ignore the custom values; {@code enterprise} uses them, a
     * missing one falling back to the Pro value and a value of zero or below meaning unlimited. An unknown or missing
     * plan gets the Free limits: a typo must not lift the limits.
     */
    public static PlanLimits forPlan(String plan, Integer customPerMinute, Integer customPerDay) {
        String name = plan == null ? "" : plan.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "pro" -> PRO;
            case "enterprise" -> new PlanLimits(
                    customPerMinute != null ? customPerMinute : PRO.perMinute,
                    customPerDay != null ? customPerDay : PRO.perDay);
            default -> FREE;
        };
    }

    public boolean minuteLimited() {
        return perMinute > 0;
    }

    public boolean dayLimited() {
        return perDay > 0;
    }

    public boolean isUnlimited() {
        return !minuteLimited() && !dayLimited();
    }
}
