package io.visionplatform.common.identity;

import java.util.Set;

/**
 * Who a forwarded request acts for, as the gateway vouches for it in a short-lived signed token. Services
 * trust only this (verified), never bare user-id headers.
 */
public record InternalIdentity(String accountId, String username, String plan, Set<String> scopes,
        String requestId) {

    /** The header carrying the gateway-minted token on internal calls. */
    public static final String HEADER = "X-Platform-Identity";

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
