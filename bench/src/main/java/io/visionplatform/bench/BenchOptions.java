package io.visionplatform.bench;

/**
 * A benchmark's command line: flags alone, other options as {@code --name value} or {@code --name=value}. Subclasses
 * add their flags and options, passing what they do not know up to their superclass; an unknown one is an error.
 */
abstract class BenchOptions {

    boolean help;

    final void read(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (flag(arg)) {
                continue;
            }
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args[++i];
            }
            option(arg, value);
        }
        check();
    }

    /** Sets the flag {@code arg}; false when it is not a flag (then it is an option with a value). */
    boolean flag(String arg) {
        if (arg.equals("-h") || arg.equals("--help")) {
            help = true;
            return true;
        }
        return false;
    }

    void option(String name, String value) {
        throw new IllegalArgumentException("unknown option " + name);
    }

    /** Checks what only the whole command line can tell. */
    void check() {
    }
}
