package io.visionplatform.gateway.auth;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.identity.InternalTokens;
import io.visionplatform.common.identity.SigningKey;
import io.visionplatform.gateway.config.GatewayConfig;

/** Mints the short-lived ES256 token that tells a service whom a forwarded request acts for. */
@ApplicationScoped
public class IdentityTokenIssuer {

    private final SigningKey key;
    private final Duration ttl;

    public IdentityTokenIssuer(GatewayConfig config) {
        GatewayConfig.Identity identity = config.identity();
        this.ttl = identity.ttl();
        this.key = identity.privateKey()
                .map(privatePem -> SigningKey.fromPem(privatePem, identity.publicKey()
                        .orElseThrow(() -> new IllegalStateException(
                                "platform.gateway.identity.public-key is required with the private key"))))
                .orElseGet(SigningKey::generate);
    }

    public String issue(Principal principal, String requestId) {
        InternalIdentity identity = new InternalIdentity(principal.accountId(), principal.username(), principal.plan(),
                principal.scopes(), requestId);
        return InternalTokens.sign(identity, ttl, key);
    }

    /** The public half, as the JWKS document services fetch. */
    public String jwks() {
        return InternalTokens.jwksJson(List.of(key.publicKeyWithKid()));
    }
}
