package io.visionplatform.vision.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literals Ultralytics writes into ONNX {@code metadata_props} ({@code str(value)} of dicts, lists,
 * strings, numbers, booleans), the subset of {@code ast.literal_eval} those values use. Nothing is evaluated: anything
 * outside the grammar is refused with a {@link MetadataFormatException} naming the position.
 * <p>
 * Results: dict → {@code Map<Object, Object>} (insertion order, a repeated key keeps the last value, as in Python),
 * list and tuple → {@code List<Object>}, str → {@code String}, int → {@code Long} (or {@code BigInteger} when larger),
 * float → {@code Double}, True/False → {@code Boolean}, None → {@code null}. Containers are unmodifiable.
 */
public final class PythonLiteral extends LiteralScanner {

    private PythonLiteral(String text) {
        super(text);
    }

    public static Object parse(String text) {
        if (text == null) {
            throw new MetadataFormatException("no value");
        }
        PythonLiteral parser = new PythonLiteral(text);
        return parser.parseAll(() -> parser.value(0));
    }

    private Object value(int depth) {
        char c = valueStart(depth);
        return switch (c) {
            case '{' -> dict(depth);
            case '[' -> sequence(']', depth);
            case '(' -> sequence(')', depth);
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || c == '.' || isAsciiDigit(c)) {
                    yield number();
                }
                if (Character.isLetter(c) || c == '_') {
                    yield keyword();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<Object, Object> dict(int depth) {
        pos++;
        Map<Object, Object> map = new LinkedHashMap<>();
        skipSpace();
        while (!consume('}')) {
            Object key = value(depth + 1);
            if (key instanceof Map || key instanceof List) {
                throw error("dict keys must be scalars");
            }
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value(depth + 1));
            skipSpace();
            if (!consume(',')) {
                expect('}');
                break;
            }
            skipSpace();
        }
        return Collections.unmodifiableMap(map);
    }

    /** A list, a tuple, or (for "(x)" without a trailing comma) just the parenthesised value, as in Python. */
    private Object sequence(char close, int depth) {
        pos++;
        List<Object> items = new ArrayList<>();
        skipSpace();
        boolean trailingComma = false;
        while (!consume(close)) {
            items.add(value(depth + 1));
            skipSpace();
            trailingComma = consume(',');
            if (!trailingComma) {
                expect(close);
                break;
            }
            skipSpace();
        }
        if (close == ')' && items.size() == 1 && !trailingComma) {
            return items.get(0);
        }
        return Collections.unmodifiableList(items);
    }

    private String string() {
        char quote = text.charAt(pos++);
        if (text.startsWith(String.valueOf(quote).repeat(2), pos)) {
            throw error("triple-quoted strings are not supported");
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n' || c == '\r') {
                throw error("line break inside a string");
            }
            if (c == '\\') {
                escape(sb);
            } else {
                sb.append(c);
            }
        }
    }

    private void escape(StringBuilder sb) {
        if (pos >= text.length()) {
            throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '\\', '\'', '"' -> sb.append(c);
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'v' -> sb.append('\u000B');
            case '\n' -> {
                // A backslash-newline continues the line; Python drops both characters.
            }
            case 'x' -> sb.appendCodePoint(hex(2));
            case 'u' -> sb.appendCodePoint(hex(4));
            case 'U' -> {
                int cp = hex(8);
                if (!Character.isValidCodePoint(cp)) {
                    throw error("invalid code point in \\U escape");
                }
                sb.appendCodePoint(cp);
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int v = c - '0';
                    for (int i = 0; i < 2 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; i++) {
                        v = v * 8 + (text.charAt(pos++) - '0');
                    }
                    sb.append((char) v);
                } else {
                    // Python keeps unknown escapes verbatim, backslash included.
                    sb.append('\\').append(c);
                }
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated escape");
        }
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
                throw error("bad hex digit in escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private Object number() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        boolean isFloat = false;
        int digits = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isAsciiDigit(c)) {
                digits++;
            } else if (c == '.') {
                isFloat = true;
            } else if ((c == 'e' || c == 'E') && digits > 0) {
                isFloat = true;
                if (pos + 1 < text.length() && (text.charAt(pos + 1) == '-' || text.charAt(pos + 1) == '+')) {
                    pos++;
                }
            } else {
                break;
            }
            pos++;
        }
        String token = text.substring(start, pos);
        if (digits == 0) {
            throw error("malformed number '" + token + "'");
        }
        try {
            if (isFloat) {
                return Double.parseDouble(token);
            }
            String unsigned = token.startsWith("+") || token.startsWith("-") ? token.substring(1) : token;
            if (unsigned.length() > 1 && unsigned.startsWith("0")) {
                throw error("leading zeros are not allowed in '" + token + "'");
            }
            return integer(token.startsWith("+") ? unsigned : token);
        } catch (NumberFormatException e) {
            throw new MetadataFormatException("malformed number '" + token + "' at offset " + start, e);
        }
    }

    private Object keyword() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            default -> {
                pos = start;
                throw error("'" + word + "' is not a literal (names and calls are never evaluated)");
            }
        };
    }

    @Override
    void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    @Override
    MetadataFormatException error(String message) {
        String near = text.substring(Math.max(0, pos - 20), Math.min(text.length(), pos + 20));
        return new MetadataFormatException(message + " at offset " + pos + " near \"" + near + "\"");
    }
}
