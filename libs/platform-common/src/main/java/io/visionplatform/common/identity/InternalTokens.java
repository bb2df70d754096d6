package io.visionplatform.common.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visionplatform.common.error.PlatformException;

/**
 * The internal identity token: a compact JWS signed with ES256 (ECDSA over P-256, SHA-256), minted by the
 * gateway for every forwarded request and verified by every service. Pure JDK crypto and Jackson.
 *
 * <p>
 * Header {@code {alg: "ES256", typ: "JWT", kid}}; claims {@code iss: "platform-gateway",
 * aud: "platform-services", sub: accountId, preferred_username, plan, scope (space-separated), rid: requestId,
 * iat, exp, jti}. Verification accepts ES256 only, whatever the header says, so {@code none} and HS256 key
 * confusion cannot apply; every failure is {@code PlatformException.unauthorized} with a message that names
 * the check, never key material.
 */
public final class InternalTokens {

    public static final String ALGORITHM = "ES256";
    public static final String ISSUER = "platform-gateway";
    public static final String AUDIENCE = "platform-services";
    /** How far apart the gateway's and a service's clocks may be. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
    /** Tokens are small (a few hundred bytes); anything larger is refused before it is decoded. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;

    private static final String JCA_ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final int SIGNATURE_BYTES = 2 * IdentityKeys.COORDINATE_BYTES;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private InternalTokens() {
    }

    /** Mints a token for {@code identity}, valid for {@code ttl} from now. */
    public static String sign(InternalIdentity identity, Duration ttl, SigningKey key) {
        return sign(identity, ttl, key, Clock.systemUTC());
    }

    public static String sign(InternalIdentity identity, Duration ttl, SigningKey key, Clock clock) {
        if (identity.accountId() == null || identity.accountId().isBlank()) {
            throw new IllegalArgumentException("An internal identity needs an account id");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", identity.accountId());
        claims.put("preferred_username", identity.username());
        claims.put("plan", identity.plan());
        claims.put("scope", scopeClaim(identity.scopes()));
        if (identity.requestId() != null) {
            claims.put("rid", identity.requestId());
        }
        claims.put("iat", now);
        claims.put("exp", now + Math.max(1, ttl.toSeconds()));
        claims.put("jti", UUID.randomUUID().toString());
        return signClaims(header(key.kid()), claims, key.privateKey());
    }

    /** Verifies with the default clock skew. */
    public static InternalIdentity verify(String token, KeyResolver keys, Clock clock) {
        return verify(token, keys, clock, DEFAULT_SKEW);
    }

    public static InternalIdentity verify(String token, KeyResolver keys, Clock clock, Duration skew) {
        Parsed parsed = parse(token);
        ECPublicKey key = keys.find(parsed.kid())
                .orElseThrow(() -> PlatformException.unauthorized("Internal identity token is signed by an unknown key"));
        if (!signatureValid(parsed, key)) {
            throw PlatformException.unauthorized("Internal identity token signature is invalid");
        }
        JsonNode claims = decodeJson(parsed.payload(), "payload");
        return identity(claims, clock.instant(), skew);
    }

    /**
     * The key id a well-formed ES256 token names, read before its signature is checked: lets a verifier fetch
     * keys it does not hold yet. Fails like {@link #verify} for anything malformed.
     */
    public static String keyId(String token) {
        return parse(token).kid();
    }

    /** A JWKS document ({@code {"keys": [...]}}) publishing the given verification keys. */
    public static String jwksJson(List<PublicKeyWithKid> keys) {
        List<Map<String, Object>> jwks = new ArrayList<>();
        for (PublicKeyWithKid key : keys) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "EC");
            jwk.put("crv", "P-256");
            jwk.put("x", IdentityKeys.base64Url(IdentityKeys.coordinate(key.key().getW().getAffineX())));
            jwk.put("y", IdentityKeys.base64Url(IdentityKeys.coordinate(key.key().getW().getAffineY())));
            jwk.put("kid", key.kid());
            jwk.put("alg", ALGORITHM);
            jwk.put("use", "sig");
            jwks.add(jwk);
        }
        try {
            return JSON.writeValueAsString(Map.of("keys", jwks));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The ES256 signing keys of a JWKS document, by kid. Keys of other types, curves, algorithms or uses are
     * skipped; a document that is not a JWKS, or an EC P-256 key that is malformed, fails with
     * {@link IllegalArgumentException}.
     */
    public static Map<String, ECPublicKey> parseJwks(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("JWKS is not valid JSON");
        }
        if (root == null || !root.path("keys").isArray()) {
            throw new IllegalArgumentException("JWKS has no \"keys\" array");
        }
        Map<String, ECPublicKey> keys = new LinkedHashMap<>();
        for (JsonNode jwk : root.path("keys")) {
            if (!"EC".equals(jwk.path("kty").asText()) || !"P-256".equals(jwk.path("crv").asText())
                    || (jwk.has("alg") && !ALGORITHM.equals(jwk.path("alg").asText()))
                    || (jwk.has("use") && !"sig".equals(jwk.path("use").asText()))
                    || !jwk.path("kid").isTextual() || jwk.path("kid").asText().isBlank()) {
                continue;
            }
            byte[] x = base64UrlOrFail(jwk.path("x"));
            byte[] y = base64UrlOrFail(jwk.path("y"));
            keys.put(jwk.path("kid").asText(), IdentityKeys.publicKey(x, y));
        }
        return Collections.unmodifiableMap(keys);
    }

    /** Signs arbitrary header and claims with ES256; package-private so tests can forge bad claims. */
    static String signClaims(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        try {
            String signingInput = IdentityKeys.base64Url(JSON.writeValueAsBytes(header)) + "."
                    + IdentityKeys.base64Url(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance(JCA_ALGORITHM);
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + IdentityKeys.base64Url(signer.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign the internal identity token", e);
        }
    }

    static Map<String, Object> header(String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ALGORITHM);
        header.put("typ", "JWT");
        header.put("kid", kid);
        return header;
    }

    private record Parsed(String kid, String signingInput, String payload, byte[] signature) {
    }

    private static Parsed parse(String token) {
        if (token == null || token.isBlank()) {
            throw PlatformException.unauthorized("Missing internal identity token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw PlatformException.unauthorized("Internal identity token is too large");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw PlatformException.unauthorized("Internal identity token is not a compact JWS");
        }
        for (String part : parts) {
            if (!BASE64URL.matcher(part).matches()) {
                throw PlatformException.unauthorized("Internal identity token is not base64url encoded");
            }
        }
        JsonNode header = decodeJson(parts[0], "header");
        // Only ES256, decided here and not by the token: "none" and HS256-with-the-public-key are refused.
        if (!header.path("alg").isTextual() || !ALGORITHM.equals(header.path("alg").textValue())) {
            throw PlatformException.unauthorized("Internal identity token algorithm is not ES256");
        }
        if (header.has("typ") && !"JWT".equals(header.path("typ").asText())) {
            throw PlatformException.unauthorized("Internal identity token type is not JWT");
        }
        if (header.has("crit")) {
            throw PlatformException.unauthorized("Internal identity token has critical header extensions");
        }
        JsonNode kid = header.path("kid");
        if (!kid.isTextual() || kid.textValue().isBlank()) {
            throw PlatformException.unauthorized("Internal identity token has no key id");
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw PlatformException.unauthorized("Internal identity token is not base64url encoded");
        }
        return new Parsed(kid.textValue(), parts[0] + "." + parts[1], parts[1], signature);
    }

    private static boolean signatureValid(Parsed parsed, ECPublicKey key) {
        byte[] signature = parsed.signature();
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        // r and s must lie in [1, n-1]; refuses the all-zero signature whatever the JDK's own checks.
        BigInteger order = key.getParams().getOrder();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, IdentityKeys.COORDINATE_BYTES));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, IdentityKeys.COORDINATE_BYTES, SIGNATURE_BYTES));
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(order) >= 0 || s.compareTo(order) >= 0) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(JCA_ALGORITHM);
            verifier.initVerify(key);
            verifier.update(parsed.signingInput().getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static InternalIdentity identity(JsonNode claims, Instant now, Duration skew) {
        if (!ISSUER.equals(claims.path("iss").textValue())) {
            throw PlatformException.unauthorized("Internal identity token was not issued by the gateway");
        }
        if (!audienceMatches(claims.path("aud"))) {
            throw PlatformException.unauthorized("Internal identity token is not meant for platform services");
        }
        long nowSeconds = now.getEpochSecond();
        long exp = epochSeconds(claims, "exp");
        long iat = epochSeconds(claims, "iat");
        if (nowSeconds > exp + skew.toSeconds()) {
            throw PlatformException.unauthorized("Internal identity token has expired");
        }
        if (iat > nowSeconds + skew.toSeconds()) {
            throw PlatformException.unauthorized("Internal identity token is issued in the future");
        }
        String accountId = claims.path("sub").textValue();
        if (accountId == null || accountId.isBlank()) {
            throw PlatformException.unauthorized("Internal identity token has no subject");
        }
        return new InternalIdentity(accountId, optionalText(claims, "preferred_username"), optionalText(claims, "plan"),
                scopes(claims.path("scope")), optionalText(claims, "rid"));
    }

    private static boolean audienceMatches(JsonNode aud) {
        if (aud.isTextual()) {
            return AUDIENCE.equals(aud.textValue());
        }
        if (aud.isArray()) {
            for (JsonNode entry : aud) {
                if (AUDIENCE.equals(entry.textValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long epochSeconds(JsonNode claims, String name) {
        JsonNode value = claims.path(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw PlatformException.unauthorized("Internal identity token has no valid " + name + " claim");
        }
        return value.longValue();
    }

    private static String optionalText(JsonNode claims, String name) {
        JsonNode value = claims.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw PlatformException.unauthorized("Internal identity token has an invalid " + name + " claim");
        }
        return value.textValue();
    }

    private static Set<String> scopes(JsonNode scope) {
        if (scope.isMissingNode() || scope.isNull()) {
            return Set.of();
        }
        if (!scope.isTextual()) {
            throw PlatformException.unauthorized("Internal identity token has an invalid scope claim");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String entry : scope.textValue().split(" ")) {
            if (!entry.isEmpty()) {
                scopes.add(entry);
            }
        }
        return Collections.unmodifiableSet(scopes);
    }

    private static String scopeClaim(Set<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            return "";
        }
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw new IllegalArgumentException("Scopes must be non-empty printable strings without spaces");
            }
        }
        return String.join(" ", new TreeSet<>(scopes));
    }

    private static JsonNode decodeJson(String part, String what) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node instanceof ObjectNode) {
                return node;
            }
        } catch (IOException | IllegalArgumentException e) {
            // falls through to the same refusal
        }
        throw PlatformException.unauthorized("Internal identity token " + what + " is not a JSON object");
    }

    private static byte[] base64UrlOrFail(JsonNode value) {
        if (!value.isTextual() || !BASE64URL.matcher(value.textValue()).matches()) {
            throw new IllegalArgumentException("JWK coordinate is not base64url");
        }
        return Base64.getUrlDecoder().decode(value.textValue());
    }

}
