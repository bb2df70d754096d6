package io.visionplatform.gateway.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scopes an API key can carry, and the one table that says what each grants. {@code read} grants safe
 * methods everywhere but admin; {@code write} grants everything but admin; a resource scope grants every
 * method on its route group; {@code admin} grants everything.
 */
public final class Scopes {

    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String DATASETS = "datasets";
    public static final String MODELS = "models";
    public static final String TRAINING = "training";
    public static final String DEPLOYMENTS = "deployments";
    public static final String BILLING = "billing";
    public static final String ADMIN = "admin";

    /** Every scope, in documentation order. */
    public static final List<String> ALL = List.of(READ, WRITE, DATASETS, MODELS, TRAINING, DEPLOYMENTS, BILLING,
            ADMIN);

    /** What a non-admin account (and so any of its keys) may hold. */
    public static final Set<String> USER = Set.of(READ, WRITE, DATASETS, MODELS, TRAINING, DEPLOYMENTS, BILLING);

    private Scopes() {
    }

    /** The scopes an account with this role may grant its keys. */
    public static Set<String> grantableBy(String role) {
        return "admin".equals(role) ? Set.copyOf(ALL) : USER;
    }

    /**
     * Whether {@code held} scopes allow a request in route group {@code group}. {@code group} is one of the
     * resource scopes, {@link #ADMIN}, or null for routes any authenticated caller may use.
     */
    public static boolean permits(Set<String> held, String group, boolean safeMethod) {
        if (held.contains(ADMIN) || group == null) {
            return true;
        }
        if (ADMIN.equals(group)) {
            return false;
        }
        return held.contains(group) || held.contains(WRITE) || (safeMethod && held.contains(READ));
    }

    public static String join(Set<String> scopes) {
        return ALL.stream().filter(scopes::contains).collect(Collectors.joining(" "));
    }

    public static Set<String> split(String joined) {
        return joined == null || joined.isBlank() ? Set.of()
                : Arrays.stream(joined.trim().split("\\s+")).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
