package io.visionplatform.vision.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format reader over a byte array: iterate the fields of one message with
 * {@link #next()}, read the current value with the method matching its wire type, or {@link #skip()} it. Groups
 * (wire types 3 and 4, unused by ONNX) and malformed input throw {@link OnnxFormatException}.
 */
final class ProtoReader {

    private final byte[] buf;
    private int pos;
    private final int end;
    private int field;
    private int wireType;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        long key = varint();
        field = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (field < 1) {
            throw new OnnxFormatException("field number " + field + " at offset " + pos);
        }
        return true;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    long int64() {
        expect(ProtoWriter.VARINT);
        return varint();
    }

    float float32() {
        expect(ProtoWriter.FIXED32);
        need(4);
        int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    String string() {
        int len = length();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** The current length-delimited field as a reader of its own (an embedded message). */
    ProtoReader message() {
        int len = length();
        ProtoReader r = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return r;
    }

    void skip() {
        switch (wireType) {
            case ProtoWriter.VARINT -> varint();
            case ProtoWriter.FIXED64 -> {
                need(8);
                pos += 8;
            }
            case ProtoWriter.LEN -> {
                int len = length(); // not "pos += length()": that would add to the pos read before the length
                pos += len;
            }
            case ProtoWriter.FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw new OnnxFormatException("unsupported wire type " + wireType + " (field " + field + ")");
        }
    }

    private int length() {
        expect(ProtoWriter.LEN);
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new OnnxFormatException("field " + field + " claims " + len + " bytes, " + (end - pos) + " left");
        }
        return (int) len;
    }

    private void expect(int type) {
        if (wireType != type) {
            throw new OnnxFormatException("field " + field + " has wire type " + wireType + ", expected " + type);
        }
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new OnnxFormatException("truncated message: field " + field + " needs " + n + " bytes");
        }
    }

    private long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new OnnxFormatException("truncated varint");
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new OnnxFormatException("varint longer than 10 bytes");
    }
}
