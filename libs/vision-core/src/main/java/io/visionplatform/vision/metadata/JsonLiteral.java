package io.visionplatform.vision.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON (RFC 8259) as Python's {@code json.dumps} writes it, e.g. the {@code config.txt} an Ultralytics
 * TorchScript export carries. Python's non-standard {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted as
 * well, since {@code json.dumps} emits them for such floats. Nothing else outside the grammar is: a
 * {@link MetadataFormatException} names the offset.
 * <p>
 * Results use the same types as {@link PythonLiteral}: object → {@code Map<String, Object>} (insertion order, a
 * repeated key keeps its first position and its last value, as
 * {@code json.loads} does), array → {@code List<Object>}, string → {@code String}, an integer
 * (no fraction, no exponent) → {@code Long} (or {@code BigInteger} when larger), other numbers → {@code Double},
 * true/false → {@code Boolean}, null → {@code null}. Containers are unmodifiable.
 */
public final class JsonLiteral extends LiteralScanner {

    private JsonLiteral(String text) {
        super(text);
    }

    public static Object parse(String text) {
        return parseTopLevel(text, null);
    }

    /**
     * Parses a JSON object and also records, for each top-level member, its value's source text (strings included,
     * quotes and escapes as written), in {@code sources}.
     */
    static Map<String, Object> parseObject(String text, Map<String, String> sources) {
        Object value = parseTopLevel(text, sources);
        if (!(value instanceof Map<?, ?>)) {
            throw new MetadataFormatException("expected a JSON object, got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private static Object parseTopLevel(String text, Map<String, String> sources) {
        if (text == null) {
            throw new MetadataFormatException("no value");
        }
        JsonLiteral parser = new JsonLiteral(text);
        return parser.parseAll(() -> parser.pos < text.length() && text.charAt(parser.pos) == '{'
                ? parser.object(0, sources)
                : parser.value(0));
    }

    private Object value(int depth) {
        char c = valueStart(depth);
        return switch (c) {
            case '{' -> object(depth, null);
            case '[' -> array(depth);
            case '"' -> string();
            default -> {
                if (c == '-' || isAsciiDigit(c)) {
                    yield number();
                }
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                    yield keyword();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth, Map<String, String> sources) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (consume('}')) {
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            int start = pos;
            Object v = value(depth + 1);
            map.put(key, v); // a repeated key keeps its first position and its last value, as json.loads does
            if (sources != null) {
                sources.put(key, text.substring(start, pos));
            }
            skipSpace();
            if (consume('}')) {
                return Collections.unmodifiableMap(map);
            }
            expect(',');
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (consume(']')) {
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            if (consume(']')) {
                return Collections.unmodifiableList(list);
            }
            expect(',');
        }
    }

    private String string() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> {
                    pos -= 2;
                    throw error("invalid escape '\\" + e + "'");
                }
            }
        }
    }

    /** Four hex digits; surrogate pairs come out as two {@code \\u} escapes and join up in the builder. */
    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw error("invalid \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        consume('-');
        if (consumeKeyword("Infinity")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (pos < text.length() && text.charAt(pos) == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        boolean integer = true;
        if (consume('.')) {
            integer = false;
            if (!digits()) {
                throw error("expected a digit after '.'");
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integer = false;
            pos++;
            if (!consume('+')) {
                consume('-');
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (integer) {
            return integer(literal);
        }
        double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number out of range");
        }
        return d;
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    private Object keyword() {
        if (consumeKeyword("true")) {
            return Boolean.TRUE;
        }
        if (consumeKeyword("false")) {
            return Boolean.FALSE;
        }
        if (consumeKeyword("null")) {
            return null;
        }
        if (consumeKeyword("NaN")) {
            return Double.NaN;
        }
        if (consumeKeyword("Infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        throw error("unknown keyword");
    }

    private boolean consumeKeyword(String word) {
        if (!text.startsWith(word, pos)) {
            return false;
        }
        int end = pos + word.length();
        if (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
            return false;
        }
        pos = end;
        return true;
    }

    @Override
    void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    @Override
    MetadataFormatException error(String message) {
        return new MetadataFormatException(message + " at offset " + pos);
    }
}
