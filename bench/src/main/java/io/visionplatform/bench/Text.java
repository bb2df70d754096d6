package io.visionplatform.bench;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Small string helpers of the platform benchmarks. */
final class Text {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Text() {
    }

    /** One line of at most {@code max} characters, "..." included, for messages and table cells. */
    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String flat = s.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
