package io.visionplatform.common.identity;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * The gateway's P-256 key pair for minting internal identity tokens, with the key id ({@code kid}) that
 * tokens and the JWKS name it by. {@link #generate()} names the key by its RFC 7638 thumbprint, so a fresh
 * key after a restart always gets a fresh kid and services refetch the JWKS.
 */
public record SigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {

    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (kid.isBlank()) {
            throw new IllegalArgumentException("kid must not be blank");
        }
        IdentityKeys.requireP256(publicKey.getParams());
        IdentityKeys.requireP256(privateKey.getParams());
    }

    /** A fresh random key pair, named by its thumbprint (an ephemeral key for one gateway process). */
    public static SigningKey generate() {
        return of(IdentityKeys.generateKeyPair());
    }

    /** A key pair named by its thumbprint. */
    public static SigningKey of(java.security.KeyPair pair) {
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        return new SigningKey(IdentityKeys.thumbprint(publicKey), (ECPrivateKey) pair.getPrivate(), publicKey);
    }

    /** A configured key pair from PEM (PKCS#8 private key, X.509 SubjectPublicKeyInfo public key). */
    public static SigningKey fromPem(String privateKeyPem, String publicKeyPem) {
        ECPublicKey publicKey = IdentityKeys.readPublicKeyPem(publicKeyPem);
        return new SigningKey(IdentityKeys.thumbprint(publicKey), IdentityKeys.readPrivateKeyPem(privateKeyPem),
                publicKey);
    }

    /** What the JWKS publishes for this key. */
    public PublicKeyWithKid publicKeyWithKid() {
        return new PublicKeyWithKid(kid, publicKey);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
