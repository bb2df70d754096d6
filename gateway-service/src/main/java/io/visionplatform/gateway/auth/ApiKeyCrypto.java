package io.visionplatform.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.gateway.config.GatewayConfig;

/**
 * API key material: generation in the SDK's format ({@code ul_} + 40 lowercase hex), the keyed hash stored
 * instead of the key, and the constant-time comparison of hashes.
 */
@ApplicationScoped
public class ApiKeyCrypto {

    /** The only format the Ultralytics SDK keeps; anything else is not one of our keys. */
    private static final Pattern FORMAT = Pattern.compile("ul_[0-9a-f]{40}");
    /** {@code ul_} plus 8 hex characters: enough to recognise a key in a list, far too little to guess it. */
    public static final int DISPLAY_PREFIX_LENGTH = 11;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec hmacKey;

    public ApiKeyCrypto(GatewayConfig config) {
        String secret = config.keys().hmacSecret();
        if (secret.length() < 16) {
            throw new IllegalStateException("platform.gateway.keys.hmac-secret must have at least 16 characters");
        }
        this.hmacKey = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String newKey() {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return "ul_" + HexFormat.of().formatHex(bytes);
    }

    public static boolean hasKeyFormat(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    public static String displayPrefix(String key) {
        return key.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    public String hash(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }

    /** Compares a stored hash with a computed one without leaking, through timing, where they differ. */
    public static boolean sameHash(String stored, String computed) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                computed.getBytes(StandardCharsets.US_ASCII));
    }
}
