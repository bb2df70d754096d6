package io.visionplatform.common.identity;

import io.smallrye.mutiny.Uni;

/**
 * Verifies the gateway's internal identity token (signature, expiry, audience) and yields the identity.
 * A missing, expired or forged token fails with {@code PlatformException.unauthorized}.
 */
public interface InternalIdentityVerifier {

    Uni<InternalIdentity> verify(String token);
}
