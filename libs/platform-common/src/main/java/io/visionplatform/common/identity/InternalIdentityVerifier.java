package io.visionplatform.common.identity;

import io.smallrye.mutiny.Uni;

/**
 * Verifies the gateway's internal identity token (ES256 signature, issuer, audience, expiry) and yields the
 * identity. A missing, expired or forged token fails with {@code PlatformException.unauthorized}.
 *
 * <p>
 * Verification is pure CPU: when the token's key is already known the returned {@code Uni} is resolved on the
 * calling thread. It waits only when the key id is new and the gateway's JWKS has to be fetched (without
 * blocking); if that fetch fails the {@code Uni} fails with {@code PlatformException.unavailable} (503).
 */
public interface InternalIdentityVerifier {

    Uni<InternalIdentity> verify(String token);
}
