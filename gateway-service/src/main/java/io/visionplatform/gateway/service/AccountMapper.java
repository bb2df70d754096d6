package io.visionplatform.gateway.service;

import java.util.Set;

import io.visionplatform.gateway.Account;
import io.visionplatform.gateway.ApiKey;
import io.visionplatform.gateway.auth.Principal;
import io.visionplatform.gateway.auth.Scopes;
import io.visionplatform.gateway.ratelimit.PlanLimits;
import io.visionplatform.gateway.rest.AccountView;
import io.visionplatform.gateway.rest.ApiKeyView;

/** Entities to the contract's JSON and to the gateway's principal; entities never leave the service. */
final class AccountMapper {

    private AccountMapper() {
    }

    static PlanLimits limitsOf(Account account) {
        return PlanLimits.forPlan(account.plan, account.customPerMinute, account.customPerDay);
    }

    static AccountView toView(Account account) {
        PlanLimits limits = limitsOf(account);
        return new AccountView(account.id, account.username, account.email, account.plan, account.role,
                account.status, new AccountView.RateLimitView(limits.perMinute(), limits.perDay()),
                account.createdAt);
    }

    static ApiKeyView toView(ApiKey key, String secret) {
        return new ApiKeyView(key.id, key.name, Scopes.split(key.scopes).stream().toList(), key.displayPrefix,
                key.createdAt, key.lastUsedAt, secret);
    }

    static Principal keyPrincipal(Account account, ApiKey key) {
        return new Principal(account.id, account.username, account.plan, account.role, Scopes.split(key.scopes),
                limitsOf(account), Principal.Via.API_KEY, key.id);
    }

    /** A person signed in through Keycloak acts with everything their account may do. */
    static Principal userPrincipal(Account account) {
        Set<String> scopes = Scopes.grantableBy(account.role);
        return new Principal(account.id, account.username, account.plan, account.role, scopes, limitsOf(account),
                Principal.Via.JWT, null);
    }
}
