package io.visionplatform.gateway.proxy;

import java.util.regex.Pattern;

/**
 * Where a path goes: {@code upstream} is a service name from {@code platform.gateway.upstreams}, or null for
 * the gateway's own endpoints; {@code scopeGroup} is the scope that grants it (null: any authenticated caller).
 */
public record Route(String prefix, Pattern pathPattern, String upstream, String scopeGroup, boolean open) {

    static Route upstream(String prefix, String upstream, String scopeGroup) {
        return new Route(prefix, compile(prefix), upstream, scopeGroup, false);
    }

    static Route local(String prefix, String scopeGroup) {
        return new Route(prefix, compile(prefix), null, scopeGroup, false);
    }

    /** Served without authentication (health, the API description, public keys). */
    static Route open(String prefix) {
        return new Route(prefix, compile(prefix), null, null, true);
    }

    public boolean proxied() {
        return upstream != null;
    }

    boolean matches(String path) {
        return pathPattern.matcher(path).matches();
    }

    /** The prefix itself or anything below it; {@code *} stands for one path segment. Compiled once, not per request. */
    private static Pattern compile(String prefix) {
        String[] literals = prefix.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                regex.append("[^/]+");
            }
            regex.append(Pattern.quote(literals[i]));
        }
        return Pattern.compile(regex.append("(/.*)?").toString());
    }
}
