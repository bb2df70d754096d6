package io.visionplatform.common.identity;

import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/** One verification key as a JWKS publishes it: the key id tokens carry, and the P-256 public key. */
public record PublicKeyWithKid(String kid, ECPublicKey key) {

    public PublicKeyWithKid {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(key, "key");
        IdentityKeys.requireP256(key.getParams());
    }
}
