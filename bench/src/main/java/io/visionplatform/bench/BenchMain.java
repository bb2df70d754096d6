package io.visionplatform.bench;

import java.util.List;
import java.util.function.Supplier;

/**
 * The benchmarks' main(): exit status 0 when the figures are valid, 2 when checks failed (the output then ends with
 * a loud banner), 1 when the run could not go on ({@link BenchException}), 64 for a bad command line.
 */
final class BenchMain {

    private static final String BANG_LINE = "!".repeat(91);

    @FunctionalInterface
    interface Program<O> {
        int run(O options) throws Exception;
    }

    private BenchMain() {
    }

    static <O extends BenchOptions> void main(String[] args, Supplier<O> newOptions, String usage, Program<O> program)
            throws Exception {
        O options = newOptions.get();
        try {
            options.read(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage);
            System.exit(64);
            return;
        }
        if (options.help) {
            System.out.println(usage);
            return;
        }
        int code;
        try {
            code = program.run(options);
        } catch (BenchException e) {
            System.err.println();
            System.err.println("bench: error: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** The banner of a run whose figures are not valid (exit status 2): the title, then one line each. */
    static void printInvalid(String title, List<String> lines) {
        System.out.println();
        System.out.println(BANG_LINE);
        System.out.println("!!! " + title);
        for (String line : lines) {
            System.out.println("!!!   " + line);
        }
        System.out.println(BANG_LINE);
    }
}
