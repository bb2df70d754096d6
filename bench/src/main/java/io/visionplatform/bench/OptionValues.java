package io.visionplatform.bench;

import java.util.function.Function;

/** Checked numbers from the benchmarks' command lines; a bad one fails with a message naming the option. */
final class OptionValues {

    private OptionValues() {
    }

    static int positive(String name, String value) {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
        return n;
    }

    static int nonNegative(String name, String value) {
        int n = number(name, value, Integer::parseInt);
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0");
        }
        return n;
    }

    static int atLeast(String name, String value, int min) {
        int n = nonNegative(name, value);
        if (n < min) {
            throw new IllegalArgumentException(name + " must be >= " + min);
        }
        return n;
    }

    /** {@code value} read by {@code parse} (Long::parseLong, Double::parseDouble, ...). */
    static <T> T number(String name, String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got " + value);
        }
    }
}
