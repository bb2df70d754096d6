package io.visionplatform.dataset.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads a YOLO label file: one row of whitespace-separated numbers per line, blank lines skipped. */
final class LabelFileParser {

    /** Plain decimal numbers only; Java's parseDouble would also take {@code 1d}, {@code 0x1p3} and {@code NaN}. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private LabelFileParser() {
    }

    /** @throws InvalidAnnotationException naming the first bad line */
    static List<List<Double>> parse(BufferedReader reader, AnnotationRules rules)
            throws IOException, InvalidAnnotationException {
        List<List<Double>> rows = new ArrayList<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String trimmed = line.strip();
            if (lineNumber == 1 && trimmed.startsWith("\uFEFF")) {
                trimmed = trimmed.substring(1).strip();
            }
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                rows.add(rules.check(numbers(trimmed)));
            } catch (InvalidAnnotationException e) {
                throw new InvalidAnnotationException("line " + lineNumber + ": " + e.getMessage());
            }
        }
        return List.copyOf(rows);
    }

    private static double[] numbers(String line) throws InvalidAnnotationException {
        String[] tokens = WHITESPACE.split(line);
        double[] values = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (NUMBER.matcher(token).matches()) {
                values[i] = Double.parseDouble(token);
            } else if (token.matches("(?i)[+-]?(nan|inf|infinity)")) {
                throw new InvalidAnnotationException("value " + (i + 1) + " is not a finite number");
            } else {
                throw new InvalidAnnotationException(
                        "value " + (i + 1) + " '" + abbreviate(token) + "' is not a number");
            }
        }
        return values;
    }

    private static String abbreviate(String token) {
        return token.length() <= 20 ? token : token.substring(0, 20) + "…";
    }
}
