package io.visionplatform.common.identity;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import io.visionplatform.common.error.PlatformException;

/**
 * The caller of the current request, as the gateway vouched for it and {@link InternalIdentityFilter}
 * verified. Resources inject this to learn the account, plan and scopes; nothing else about the caller is
 * trusted.
 */
@RequestScoped
public class CurrentIdentity {

    private InternalIdentity identity;

    /** The verified caller; 401 when the request carries none (possible only with identity not required). */
    public InternalIdentity get() {
        if (identity == null) {
            throw PlatformException.unauthorized("This request carries no internal identity");
        }
        return identity;
    }

    public Optional<InternalIdentity> find() {
        return Optional.ofNullable(identity);
    }

    /** The caller's account id; 401 when there is no verified caller. */
    public String accountId() {
        return get().accountId();
    }

    /** 403 unless the caller holds {@code scope}. */
    public InternalIdentity requireScope(String scope) {
        InternalIdentity caller = get();
        if (!caller.hasScope(scope)) {
            throw PlatformException.forbidden("This operation needs the " + scope + " scope");
        }
        return caller;
    }

    void set(InternalIdentity identity) {
        this.identity = identity;
    }
}
