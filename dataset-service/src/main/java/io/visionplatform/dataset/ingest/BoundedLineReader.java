package io.visionplatform.dataset.ingest;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@code maxLength} characters: a longer line is consumed without being kept, so a file
 * without line breaks cannot fill memory.
 */
final class BoundedLineReader {

    /** One line; {@code tooLong} lines carry no text. */
    record Line(String text, boolean tooLong) {
    }

    private final Reader reader;
    private final int maxLength;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;

    BoundedLineReader(Reader reader, int maxLength) {
        this.reader = reader;
        this.maxLength = maxLength;
    }

    /** The next line without its line break, or null at the end of the input. */
    Line next() throws IOException {
        StringBuilder text = new StringBuilder();
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return sawAny ? line(text, tooLong) : null;
                }
            }
            sawAny = true;
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int count = end - position;
            if (!tooLong && text.length() + count > maxLength) {
                tooLong = true;
                text.setLength(0);
            }
            if (!tooLong) {
                text.append(buffer, position, count);
            }
            position = end;
            if (end < limit) {
                position++;
                return line(text, tooLong);
            }
        }
    }

    private static Line line(StringBuilder text, boolean tooLong) {
        int length = text.length();
        if (length > 0 && text.charAt(length - 1) == '\r') {
            text.setLength(length - 1);
        }
        return new Line(tooLong ? "" : text.toString(), tooLong);
    }
}
