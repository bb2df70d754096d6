package io.visionplatform.gateway.auth;

import java.util.Set;

import io.visionplatform.gateway.ratelimit.PlanLimits;

/** Who is calling, as established by the gateway from an API key or a Keycloak token. */
public record Principal(
        String accountId,
        String username,
        String plan,
        String role,
        Set<String> scopes,
        PlanLimits limits,
        Via via,
        String keyId) {

    public enum Via {
        API_KEY,
        JWT
    }
}
