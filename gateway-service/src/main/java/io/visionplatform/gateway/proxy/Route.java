package io.visionplatform.gateway.proxy;

/**
 * Where a path goes: {@code upstream} is a service name from {@code platform.gateway.upstreams}, or null for
 * the gateway's own endpoints; {@code scopeGroup} is the scope that grants it (null: any authenticated caller).
 */
public record Route(String prefix, String upstream, String scopeGroup, boolean open) {

    static Route upstream(String prefix, String upstream, String scopeGroup) {
        return new Route(prefix, upstream, scopeGroup, false);
    }

    static Route local(String prefix, String scopeGroup) {
        return new Route(prefix, null, scopeGroup, false);
    }

    /** Served without authentication (health, the API description, public keys). */
    static Route open(String prefix) {
        return new Route(prefix, null, null, true);
    }

    public boolean proxied() {
        return upstream != null;
    }

    boolean matches(String path) {
        if (prefix.contains("*")) {
            return path.matches(prefix.replace("*", "[^/]+") + "(/.*)?");
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
