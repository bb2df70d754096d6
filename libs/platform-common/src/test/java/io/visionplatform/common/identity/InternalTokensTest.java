package io.visionplatform.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;

class InternalTokensTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final SigningKey KEY = SigningKey.generate();
    private static final KeyResolver KEYS = KeyResolver.of(KEY.publicKeyWithKid());
    private static final InternalIdentity ALICE = new InternalIdentity("account_abc", "alice", "pro",
            Set.of("read", "write"), "req_123");

    @Test
    void roundTripKeepsEveryField() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);

        InternalIdentity verified = InternalTokens.verify(token, KEYS, CLOCK);

        assertThat(verified).isEqualTo(ALICE);
        assertThat(verified.hasScope("write")).isTrue();
        assertThat(InternalTokens.keyId(token)).isEqualTo(KEY.kid());
    }

    @Test
    void tokenCarriesTheDocumentedHeaderAndClaims() throws Exception {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);
        String[] parts = token.split("\\.");

        assertThat(json(parts[0])).containsEntry("alg", "ES256").containsEntry("typ", "JWT").containsEntry("kid", KEY.kid());
        assertThat(json(parts[1])).containsEntry("iss", "platform-gateway")
                .containsEntry("aud", "platform-services")
                .containsEntry("sub", "account_abc")
                .containsEntry("preferred_username", "alice")
                .containsEntry("plan", "pro")
                .containsEntry("scope", "read write")
                .containsEntry("rid", "req_123")
                .containsEntry("iat", (int) NOW.getEpochSecond())
                .containsEntry("exp", (int) NOW.plus(TTL).getEpochSecond())
                .containsKey("jti");
        // Raw R||S as JWS requires, not DER
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
    }

    @Test
    void emptyScopesRoundTrip() {
        InternalIdentity bob = new InternalIdentity("account_b", "bob", "free", Set.of(), null);

        assertThat(InternalTokens.verify(InternalTokens.sign(bob, TTL, KEY, CLOCK), KEYS, CLOCK)).isEqualTo(bob);
    }

    @Test
    void expiredTokensAreRefusedBeyondTheSkew() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);

        assertThat(InternalTokens.verify(token, KEYS, at(NOW.plus(TTL).plusSeconds(29)))).isEqualTo(ALICE);
        assertRefused(() -> InternalTokens.verify(token, KEYS, at(NOW.plus(TTL).plusSeconds(31))))
                .hasMessageContaining("expired");
    }

    @Test
    void tokensIssuedInTheFutureAreRefusedBeyondTheSkew() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);

        assertThat(InternalTokens.verify(token, KEYS, at(NOW.minusSeconds(29)))).isEqualTo(ALICE);
        assertRefused(() -> InternalTokens.verify(token, KEYS, at(NOW.minusSeconds(31))))
                .hasMessageContaining("issued in the future");
    }

    @Test
    void wrongAudienceIsRefused() {
        Map<String, Object> claims = claims();
        claims.put("aud", "some-other-api");

        assertRefused(() -> InternalTokens.verify(forge(claims), KEYS, CLOCK))
                .hasMessageContaining("not meant for platform services");
    }

    @Test
    void audienceArrayContainingUsIsAccepted() {
        Map<String, Object> claims = claims();
        claims.put("aud", java.util.List.of("other", "platform-services"));

        assertThat(InternalTokens.verify(forge(claims), KEYS, CLOCK).accountId()).isEqualTo("account_abc");
    }

    @Test
    void wrongIssuerIsRefused() {
        Map<String, Object> claims = claims();
        claims.put("iss", "someone-else");

        assertRefused(() -> InternalTokens.verify(forge(claims), KEYS, CLOCK))
                .hasMessageContaining("not issued by the gateway");
    }

    @Test
    void missingExpiryOrSubjectIsRefused() {
        Map<String, Object> noExp = claims();
        noExp.remove("exp");
        Map<String, Object> noSub = claims();
        noSub.remove("sub");

        assertRefused(() -> InternalTokens.verify(forge(noExp), KEYS, CLOCK)).hasMessageContaining("exp");
        assertRefused(() -> InternalTokens.verify(forge(noSub), KEYS, CLOCK)).hasMessageContaining("no subject");
    }

    @Test
    void tamperedPayloadIsRefused() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);
        String[] parts = token.split("\\.");
        String otherAccount = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("account_abc", "account_evil");
        String tampered = parts[0] + "." + b64(otherAccount) + "." + parts[2];

        assertRefused(() -> InternalTokens.verify(tampered, KEYS, CLOCK)).hasMessageContaining("signature is invalid");
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        assertRefused(() -> InternalTokens.verify(tampered, KEYS, CLOCK)).hasMessageContaining("signature is invalid");
    }

    @Test
    void allZeroSignatureIsRefused() {
        String[] parts = InternalTokens.sign(ALICE, TTL, KEY, CLOCK).split("\\.");
        String zero = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);

        assertRefused(() -> InternalTokens.verify(zero, KEYS, CLOCK)).hasMessageContaining("signature is invalid");
    }

    @Test
    void signatureByAnotherKeyUnderAKnownKidIsRefused() {
        SigningKey impostor = new SigningKey(KEY.kid(), SigningKey.generate().privateKey(), KEY.publicKey());

        String token = InternalTokens.sign(ALICE, TTL, impostor, CLOCK);

        assertRefused(() -> InternalTokens.verify(token, KEYS, CLOCK)).hasMessageContaining("signature is invalid");
    }

    @Test
    void algNoneIsRefused() {
        String payload = b64(json(claims()));
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + KEY.kid() + "\"}");

        assertRefused(() -> InternalTokens.verify(header + "." + payload + ".", KEYS, CLOCK));
        assertRefused(() -> InternalTokens.verify(header + "." + payload + ".AAAA", KEYS, CLOCK))
                .hasMessageContaining("algorithm is not ES256");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY.kid() + "\"}") + "."
                + b64(json(claims()));
        for (byte[] secret : new byte[][] { KEY.publicKey().getEncoded(),
                IdentityKeys.publicKeyPem(KEY.publicKey()).getBytes(StandardCharsets.US_ASCII) }) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = signingInput + "."
                    + Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

            assertRefused(() -> InternalTokens.verify(token, KEYS, CLOCK)).hasMessageContaining("algorithm is not ES256");
        }
    }

    @Test
    void algorithmMustBeExactlyEs256() {
        Map<String, Object> header = InternalTokens.header(KEY.kid());
        header.put("alg", "es256");

        String token = InternalTokens.signClaims(header, claims(), KEY.privateKey());

        assertRefused(() -> InternalTokens.verify(token, KEYS, CLOCK)).hasMessageContaining("algorithm is not ES256");
    }

    @Test
    void unknownKidIsRefused() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);
        KeyResolver otherKeys = KeyResolver.of(SigningKey.generate().publicKeyWithKid());

        assertRefused(() -> InternalTokens.verify(token, otherKeys, CLOCK)).hasMessageContaining("unknown key");
    }

    @Test
    void missingKidIsRefused() {
        Map<String, Object> header = InternalTokens.header(KEY.kid());
        header.remove("kid");

        String token = InternalTokens.signClaims(header, claims(), KEY.privateKey());

        assertRefused(() -> InternalTokens.verify(token, kid -> java.util.Optional.of(KEY.publicKey()), CLOCK))
                .hasMessageContaining("no key id");
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : new String[] { null, "", "   ", "abc", "a.b", "a.b.c.d", "!!!.@@@.###", "e30.e30.e30",
                "a=.b.c", "....", "eyJhbGciOiJFUzI1NiJ9.eyJ9.AAAA" }) {
            assertRefused(() -> InternalTokens.verify(garbage, KEYS, CLOCK));
        }
    }

    @Test
    void oversizedTokensAreRefusedEvenWhenValid() {
        Map<String, Object> claims = claims();
        claims.put("padding", "x".repeat(InternalTokens.MAX_TOKEN_CHARS));

        String token = InternalTokens.signClaims(InternalTokens.header(KEY.kid()), claims, KEY.privateKey());

        assertRefused(() -> InternalTokens.verify(token, KEYS, CLOCK)).hasMessageContaining("too large");
    }

    @Test
    void duplicateClaimsAreRefused() {
        String header = b64("{\"alg\":\"ES256\",\"kid\":\"" + KEY.kid() + "\",\"kid\":\"other\"}");

        assertRefused(() -> InternalTokens.verify(header + ".e30.AAAA", KEYS, CLOCK)).hasMessageContaining("header");
    }

    @Test
    void refusalsNeverMentionKeyMaterial() {
        String token = InternalTokens.sign(ALICE, TTL, KEY, CLOCK);
        String publicKey = Base64.getEncoder().encodeToString(KEY.publicKey().getEncoded());

        assertRefused(() -> InternalTokens.verify(token + "x", KEYS, CLOCK))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(publicKey).doesNotContain(KEY.kid()));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "platform-gateway");
        claims.put("aud", "platform-services");
        claims.put("sub", "account_abc");
        claims.put("preferred_username", "alice");
        claims.put("plan", "pro");
        claims.put("scope", "read write");
        claims.put("rid", "req_123");
        claims.put("iat", NOW.getEpochSecond());
        claims.put("exp", NOW.getEpochSecond() + 60);
        claims.put("jti", "jti-1");
        return claims;
    }

    private static String forge(Map<String, Object> claims) {
        return InternalTokens.signClaims(InternalTokens.header(KEY.kid()), claims, KEY.privateKey());
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Map<String, Object> map) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String part) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(Base64.getUrlDecoder().decode(part), Map.class);
    }
}
