package io.visionplatform.bench;

import java.util.Locale;

/** A printed table: the heading row, a rule under it, then rows in the same column layout. */
final class Table {

    private final String rowFormat;

    private Table(String rowFormat) {
        this.rowFormat = rowFormat;
    }

    /** Prints the heading (the row format, its columns given as text) and the rule. */
    static Table print(String format, String... headings) {
        return printWithRowFormat(format, format, headings);
    }

    /** For rows whose figures are formatted by the row format itself ({@code %,d}, {@code %.2f}). */
    static Table printWithRowFormat(String headingFormat, String rowFormat, String... headings) {
        String heading = String.format(Locale.ROOT, headingFormat, (Object[]) headings);
        System.out.println(heading);
        System.out.println("  " + "-".repeat(heading.length() - 2));
        return new Table(rowFormat);
    }

    void row(Object... cells) {
        System.out.println(String.format(Locale.ROOT, rowFormat, cells).stripTrailing());
    }

    /** A figure, or "-" when there is none (NaN, or a division by a zero time). */
    static String number(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    /** A share as "42%", empty when unknown. */
    static String percent(double share) {
        return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
