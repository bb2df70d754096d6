package io.visionplatform.common.identity;

import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Optional;

/** Finds the verification key a token names by its {@code kid}; an unknown kid has none. */
@FunctionalInterface
public interface KeyResolver {

    Optional<ECPublicKey> find(String kid);

    static KeyResolver of(Map<String, ECPublicKey> keys) {
        Map<String, ECPublicKey> copy = Map.copyOf(keys);
        return kid -> Optional.ofNullable(copy.get(kid));
    }

    static KeyResolver of(PublicKeyWithKid key) {
        return of(Map.of(key.kid(), key.key()));
    }
}
