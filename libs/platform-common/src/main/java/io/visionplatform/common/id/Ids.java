package io.visionplatform.common.id;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Resource identifiers in the contract's style: a type prefix, an underscore, then random URL-safe characters
 * ({@code dataset_k3x9…}). Random rather than sequential so ids reveal nothing about volume or order.
 */
public final class Ids {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** 20 characters of a 36-letter alphabet: about 103 bits of randomness. */
    private static final int RANDOM_LENGTH = 20;
    private static final Pattern PREFIX = Pattern.compile("[a-z]{2,20}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Id prefix must be 2-20 lowercase letters: " + prefix);
        }
        StringBuilder id = new StringBuilder(prefix.length() + 1 + RANDOM_LENGTH).append(prefix).append('_');
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }

    /** True when {@code id} has the shape of an id of this type; anything else can be rejected as NOT_FOUND. */
    public static boolean hasPrefix(String prefix, String id) {
        return id != null && id.length() <= 64 && id.startsWith(prefix + "_")
                && id.substring(prefix.length() + 1).chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }
}
