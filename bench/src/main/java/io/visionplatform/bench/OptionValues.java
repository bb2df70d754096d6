package io.visionplatform.bench;

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
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(name + " must be >= 0");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got " + value);
        }
    }
}
