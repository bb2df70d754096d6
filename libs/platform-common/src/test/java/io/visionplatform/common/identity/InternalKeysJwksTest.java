package io.visionplatform.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JWKS publishing and parsing, PEM reading and writing, key ids. */
class InternalKeysJwksTest {

    private static final InternalIdentity CAROL = new InternalIdentity("account_c", "carol", "free", Set.of("read"),
            "req_c");

    @Test
    void jwksRoundTripVerifiesTokens() {
        SigningKey first = SigningKey.generate();
        SigningKey second = SigningKey.generate();

        String jwks = InternalTokens.jwksJson(List.of(first.publicKeyWithKid(), second.publicKeyWithKid()));
        Map<String, ECPublicKey> keys = InternalTokens.parseJwks(jwks);

        assertThat(keys).containsOnlyKeys(first.kid(), second.kid());
        assertThat(keys.get(first.kid())).isEqualTo(first.publicKey());
        String token = InternalTokens.sign(CAROL, Duration.ofMinutes(1), second);
        assertThat(InternalTokens.verify(token, KeyResolver.of(keys), java.time.Clock.systemUTC())).isEqualTo(CAROL);
    }

    @Test
    void jwksIsStandardEcJwk() throws Exception {
        SigningKey key = SigningKey.generate();

        JsonNode jwk = new ObjectMapper().readTree(InternalTokens.jwksJson(List.of(key.publicKeyWithKid())))
                .path("keys")
                .get(0);

        assertThat(jwk.path("kty").asText()).isEqualTo("EC");
        assertThat(jwk.path("crv").asText()).isEqualTo("P-256");
        assertThat(jwk.path("alg").asText()).isEqualTo("ES256");
        assertThat(jwk.path("use").asText()).isEqualTo("sig");
        assertThat(jwk.path("kid").asText()).isEqualTo(key.kid());
        assertThat(Base64.getUrlDecoder().decode(jwk.path("x").asText())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(jwk.path("y").asText())).hasSize(32);
        assertThat(jwk.path("x").asText()).doesNotContain("=");
        assertThat(jwk.has("d")).isFalse();
    }

    @Test
    void shortCoordinatesAreLeftPaddedTo32Bytes() {
        SigningKey key = null;
        for (int i = 0; i < 10_000 && key == null; i++) {
            SigningKey candidate = SigningKey.generate();
            if (candidate.publicKey().getW().getAffineX().bitLength() <= 248) {
                key = candidate;
            }
        }
        assertThat(key).as("a key whose x has a leading zero byte").isNotNull();

        Map<String, ECPublicKey> keys = InternalTokens.parseJwks(InternalTokens.jwksJson(List.of(key.publicKeyWithKid())));

        assertThat(keys.get(key.kid())).isEqualTo(key.publicKey());
    }

    @Test
    void jwksSkipsKeysThatAreNotEs256Signing() {
        SigningKey key = SigningKey.generate();
        JsonNode ours = jwk(key);
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"p384\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"enc\",\"use\":\"enc\",\"x\":\"" + ours.path("x").asText()
                + "\",\"y\":\"" + ours.path("y").asText() + "\"}," + ours + "]}";

        assertThat(InternalTokens.parseJwks(jwks)).containsOnlyKeys(key.kid());
    }

    @Test
    void jwksWithPointsOffTheCurveOrBadJsonIsRefused() {
        SigningKey key = SigningKey.generate();
        JsonNode ours = jwk(key);
        BigInteger y = new BigInteger(1, Base64.getUrlDecoder().decode(ours.path("y").asText())).add(BigInteger.ONE);
        String offCurve = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k\",\"x\":\"" + ours.path("x").asText()
                + "\",\"y\":\"" + IdentityKeys.base64Url(IdentityKeys.coordinate(y)) + "\"}]}";

        assertThatThrownBy(() -> InternalTokens.parseJwks(offCurve)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not on the P-256 curve");
        assertThatThrownBy(() -> InternalTokens.parseJwks("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InternalTokens.parseJwks("{\"nokeys\":1}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pemRoundTrip() {
        SigningKey key = SigningKey.generate();

        String privatePem = IdentityKeys.privateKeyPem(key.privateKey());
        String publicPem = IdentityKeys.publicKeyPem(key.publicKey());
        SigningKey read = SigningKey.fromPem(privatePem, publicPem);

        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(read.publicKey()).isEqualTo(key.publicKey());
        assertThat(read.privateKey().getS()).isEqualTo(key.privateKey().getS());
        assertThat(read.kid()).isEqualTo(key.kid());
        // what the read private key signs, the original public key verifies
        String token = InternalTokens.sign(CAROL, Duration.ofMinutes(1), read);
        assertThat(InternalTokens.verify(token, KeyResolver.of(key.publicKeyWithKid()), java.time.Clock.systemUTC()))
                .isEqualTo(CAROL);
    }

    @Test
    void publicKeyReadsFromBareBase64DerAsInAPropertiesFile() {
        SigningKey key = SigningKey.generate();
        String bare = Base64.getEncoder().encodeToString(key.publicKey().getEncoded());

        assertThat(IdentityKeys.readPublicKeyPem(bare)).isEqualTo(key.publicKey());
    }

    @Test
    void nonP256KeysAreRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(384);

        assertThatThrownBy(() -> IdentityKeys.readPublicKeyPem(
                Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentityKeys.readPublicKeyPem(
                Base64.getEncoder().encodeToString(p384.generateKeyPair().getPublic().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentityKeys.readPublicKeyPem("not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kidIsTheStableThumbprint() {
        SigningKey key = SigningKey.generate();

        assertThat(key.kid()).isEqualTo(IdentityKeys.thumbprint(key.publicKey())).matches("[A-Za-z0-9_-]{43}");
        assertThat(SigningKey.generate().kid()).isNotEqualTo(key.kid());
        assertThat(key.toString()).doesNotContain(key.privateKey().getS().toString());
    }

    private static JsonNode jwk(SigningKey key) {
        try {
            return new ObjectMapper().readTree(InternalTokens.jwksJson(List.of(key.publicKeyWithKid()))).path("keys").get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
