package io.visionplatform.common.identity;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the gateway's token-signing keys come from, and whether {@code /api/} calls must carry a token. */
@ConfigMapping(prefix = "platform.identity")
public interface IdentityConfig {

    /**
     * The gateway's JWKS ({@code GET /.well-known/jwks.json}). Fetched on first use and again, at most once per
     * {@link #jwksRefetchInterval()}, when a token names a key id not seen yet (the gateway restarted with a new
     * key).
     */
    Optional<String> jwksUrl();

    /**
     * A P-256 verification key (X.509 SubjectPublicKeyInfo, PEM or bare base64 DER) trusted besides the JWKS;
     * its key id is its RFC 7638 thumbprint. For static setups and tests.
     */
    Optional<String> publicKey();

    /**
     * Whether {@code /api/} calls without a token are refused. Only tests switch this off; a token that is
     * present is verified either way.
     */
    @WithDefault("true")
    boolean required();

    /** Whether the identity filter guards {@code /api/} at all; the gateway, which mints tokens, sets false. */
    @WithDefault("true")
    boolean enforceOnApi();

    /** How long a token the gateway mints stays valid. */
    @WithDefault("60s")
    Duration ttl();

    /** Clock difference tolerated between the gateway and a service when checking exp and iat. */
    @WithDefault("30s")
    Duration skew();

    /** The least time between two JWKS fetches, so tokens with unknown key ids cannot hammer the gateway. */
    @WithDefault("5s")
    Duration jwksRefetchInterval();

    /** How long one JWKS fetch may take. */
    @WithDefault("3s")
    Duration jwksTimeout();
}
