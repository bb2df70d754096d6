package io.visionplatform.vision.metadata;

import java.math.BigInteger;
import java.util.function.Supplier;

/**
 * The cursor both literal parsers ({@link JsonLiteral}, {@link PythonLiteral}) walk their text with; each keeps its own
 * grammar, whitespace rules and error wording.
 */
abstract class LiteralScanner {

    /** Deeper nesting is refused, so that hostile metadata cannot overflow the stack. */
    static final int MAX_DEPTH = 64;

    final String text;
    int pos;

    LiteralScanner(String text) {
        this.text = text;
    }

    abstract void skipSpace();

    abstract MetadataFormatException error(String message);

    /** Parses the whole text as one value, with nothing but whitespace around it. */
    final Object parseAll(Supplier<Object> value) {
        skipSpace();
        Object result = value.get();
        skipSpace();
        if (pos != text.length()) {
            throw error("unexpected trailing text");
        }
        return result;
    }

    /** The character the value at {@code pos} starts with, after refusing too deep nesting and the end of the text. */
    final char valueStart(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        return text.charAt(pos);
    }

    final boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    final void expect(char c) {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** Both grammars take ASCII digits only; {@code Character.isDigit} would also accept other scripts' digits. */
    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** An integer literal as {@code Long}, or {@code BigInteger} when it does not fit. */
    static Object integer(String literal) {
        BigInteger big = new BigInteger(literal);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
}
