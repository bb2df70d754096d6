package io.visionplatform.common.testing;

import java.time.Duration;
import java.util.Set;

import io.restassured.http.Header;
import io.visionplatform.common.identity.InternalIdentity;
import io.visionplatform.common.identity.InternalTokens;
import io.visionplatform.common.identity.SigningKey;

/**
 * Mints internal identity tokens for services' tests, the way the gateway does, with ONE fixed key pair that
 * exists only for tests. Every service's {@code %test} profile trusts its public key through
 * {@code %test.platform.identity.public-key} in platform-common's {@code microprofile-config.properties}, so
 * a test only adds the header:
 *
 * <pre>
 * given().header(TestIdentity.header("account_x", "alice", Set.of("read", "write"))).get("/api/datasets")
 * </pre>
 *
 * The key is public in this repository: it must never be trusted outside the {@code %test} profile.
 */
public final class TestIdentity {

    /** TEST-ONLY private key (PKCS#8). Never use it outside tests. */
    public static final String TEST_ONLY_PRIVATE_KEY_PEM = """
            -----BEGIN PRIVATE KEY-----
            MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCDuTynhv6bsUOKcmG+mlhapBiBWYSztcsexM+Sj2nq5/g==
            -----END PRIVATE KEY-----
            """;

    /** TEST-ONLY public key (X.509 SubjectPublicKeyInfo), as base64 DER on one line — the form the config holds. */
    public static final String PUBLIC_KEY_BASE64 = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1RUnvQ+jNmnt3tjPZ5VhL1vodpBK4tzPxWRx4bPTcEwlQ0+sHXHq+vfetp0QhlQ5uAU+hOpAytx/HZpk1r3zSQ==";

    /** TEST-ONLY public key (X.509 SubjectPublicKeyInfo) in PEM. */
    public static final String PUBLIC_KEY_PEM = "-----BEGIN PUBLIC KEY-----\n" + PUBLIC_KEY_BASE64
            + "\n-----END PUBLIC KEY-----\n";

    /** The test key pair; its kid is its RFC 7638 thumbprint, which is how the verifier names a configured key. */
    public static final SigningKey KEY = SigningKey.fromPem(TEST_ONLY_PRIVATE_KEY_PEM, PUBLIC_KEY_PEM);

    /** How long minted test tokens stay valid: long enough for any single test. */
    public static final Duration TTL = Duration.ofMinutes(10);

    /** A caller for tests that do not care who calls. */
    public static final InternalIdentity DEFAULT = new InternalIdentity("account_test", "tester", "free",
            Set.of("read", "write"), "req_test");

    private TestIdentity() {
    }

    public static String token(String accountId, String username, Set<String> scopes) {
        return token(new InternalIdentity(accountId, username, "free", scopes, "req_test"));
    }

    public static String token(InternalIdentity identity) {
        return InternalTokens.sign(identity, TTL, KEY);
    }

    /** The {@value InternalIdentity#HEADER} header for RestAssured. */
    public static Header header(String accountId, String username, Set<String> scopes) {
        return new Header(InternalIdentity.HEADER, token(accountId, username, scopes));
    }

    public static Header header(InternalIdentity identity) {
        return new Header(InternalIdentity.HEADER, token(identity));
    }

    /** {@link #DEFAULT}'s header. */
    public static Header header() {
        return header(DEFAULT);
    }

}
