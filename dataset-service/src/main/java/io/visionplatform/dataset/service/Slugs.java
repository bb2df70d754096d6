package io.visionplatform.dataset.service;

import java.text.Normalizer;
import java.util.Locale;

/** URL names derived from display names: {@code "My Dataset (v2)"} → {@code my-dataset-v2}. */
final class Slugs {

    private static final int MAX_LENGTH = 64;

    private Slugs() {
    }

    static String of(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_LENGTH) {
            slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "dataset" : slug;
    }

    /** The n-th candidate when the slug is taken: {@code name}, {@code name-2}, {@code name-3}, … */
    static String candidate(String base, int attempt) {
        return attempt == 1 ? base : base + "-" + attempt;
    }
}
