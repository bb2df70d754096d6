package io.visionplatform.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.identity.InternalTokens;
import io.visionplatform.common.identity.KeyResolver;
import io.visionplatform.common.identity.SigningKey;
import io.visionplatform.gateway.config.GatewayConfig;

/**
 * Mints the short-lived ES256 token that tells a service whom a forwarded request acts for. An ECDSA
 * signature costs far more than forwarding a request, so a caller's token is reused until half its lifetime
 * is gone; the request id travels in {@code X-Request-Id}, not in the token, which makes that possible.
 */
@ApplicationScoped
public class IdentityTokenIssuer {

    private static final int CACHE_LIMIT = 10_000;

    private final SigningKey key;
    private final Duration ttl;
    private final long reuseNanos;
    private final Map<Principal, IssuedToken> issued = new ConcurrentHashMap<>();

    private record IssuedToken(String token, long reuseUntilNanos) {
    }

    public IdentityTokenIssuer(GatewayConfig config) {
        GatewayConfig.Identity identity = config.identity();
        this.ttl = identity.ttl();
        this.reuseNanos = identity.ttl().toNanos() / 2;
        this.key = identity.privateKey()
                .map(privatePem -> SigningKey.fromPem(privatePem, identity.publicKey()
                        .orElseThrow(() -> new IllegalStateException(
                                "platform.gateway.identity.public-key is required with the private key"))))
                .orElseGet(SigningKey::generate);
    }

    public String issue(Principal principal) {
        IssuedToken current = issued.get(principal);
        long now = System.nanoTime();
        if (current != null && current.reuseUntilNanos() - now > 0) {
            return current.token();
        }
        InternalIdentity identity = new InternalIdentity(principal.accountId(), principal.username(), principal.plan(),
                principal.scopes(), null);
        String token = InternalTokens.sign(identity, ttl, key);
        if (issued.size() >= CACHE_LIMIT) {
            issued.clear();
        }
        issued.put(principal, new IssuedToken(token, now + reuseNanos));
        return token;
    }

    /**
     * The identity a service forwards to the gateway's internal endpoints: a token this gateway (or a replica
     * sharing its key) minted, still valid.
     */
    public InternalIdentity verify(String token) {
        return InternalTokens.verify(token, KeyResolver.of(key.publicKeyWithKid()), Clock.systemUTC());
    }

    /** The public half, as the JWKS document services fetch. */
    public String jwks() {
        return InternalTokens.jwksJson(List.of(key.publicKeyWithKid()));
    }
}
