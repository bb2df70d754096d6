package io.visionplatform.vision.pt;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Short, bounded, non-recursive descriptions of unpickled values for messages and {@code toString}: a pickle can build
 * self-referencing or very deep containers, so nothing here walks into a container.
 */
final class Describe {

    private static final int MAX_TEXT = 60;

    private Describe() {
    }

    /** The Python-ish type name of a value: {@code str}, {@code int}, {@code list}, ... */
    static String type(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof PyTuple) {
            return "tuple";
        }
        if (value instanceof Map) {
            return "dict";
        }
        if (value instanceof java.util.Set) {
            return "set";
        }
        if (value instanceof Collection) {
            return "list";
        }
        if (value instanceof PickledObject o) {
            return o.className() + " object";
        }
        if (value instanceof PickleGlobal g) {
            return "global " + g.qualifiedName();
        }
        if (value instanceof Tensor) {
            return "tensor";
        }
        if (value instanceof TorchStorage) {
            return "storage";
        }
        return value.getClass().getSimpleName();
    }

    /** A one-level description: scalars with their value (text shortened), containers by type and size. */
    static String brief(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return "'" + text(s) + "'";
        }
        if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() <= 256 ? b.toString() : "int of " + b.bitLength() + " bits";
        }
        if (value instanceof byte[] b) {
            return "bytes[" + b.length + "]";
        }
        if (value instanceof Map<?, ?> m) {
            return "dict[" + m.size() + "]";
        }
        if (value instanceof PyTuple t) {
            return "tuple[" + t.size() + "]";
        }
        if (value instanceof Collection<?> c) {
            return type(value) + "[" + c.size() + "]";
        }
        if (value instanceof PickleGlobal g) {
            return g.qualifiedName();
        }
        return value.toString();
    }

    /** Text shortened to a readable length with control characters escaped. */
    static String text(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < s.length() && out.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (i < s.length()) {
            out.append("...");
        }
        return out.toString();
    }
}
