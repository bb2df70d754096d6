package io.visionplatform.common.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

/** URL names derived from display names: {@code "My Dataset (v2)"} → {@code my-dataset-v2}. */
public final class Slugs {

    private static final int MAX_LENGTH = 64;

    private Slugs() {
    }

    /** The slug of {@code name}; {@code fallback} when nothing of the name survives. */
    public static String of(String name, String fallback) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_LENGTH) {
            slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? fallback : slug;
    }

    /** The n-th candidate when the slug is taken: {@code name}, {@code name-2}, {@code name-3}, … */
    public static String candidate(String base, int attempt) {
        return attempt == 1 ? base : base + "-" + attempt;
    }

    /** The first of {@code base}, {@code base-2}, … that {@code taken} says is free. */
    public static Uni<String> firstFree(String base, Function<String, Uni<Boolean>> taken) {
        return firstFree(base, taken, 1);
    }

    private static Uni<String> firstFree(String base, Function<String, Uni<Boolean>> taken, int attempt) {
        String candidate = candidate(base, attempt);
        return taken.apply(candidate)
                .chain(used -> used ? firstFree(base, taken, attempt + 1) : Uni.createFrom().item(candidate));
    }
}
