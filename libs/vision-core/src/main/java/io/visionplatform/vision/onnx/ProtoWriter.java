package io.visionplatform.vision.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format writer: varints (wire type 0), 32-bit little-endian floats (wire type 5) and
 * length-delimited fields (wire type 2: strings, bytes, embedded messages). Field numbers and types come from the ONNX
 * schema ({@code onnx.proto}); repeated scalars are written unpacked, as proto2 (ONNX's syntax) does by default, and
 * every conforming parser reads both forms.
 */
final class ProtoWriter {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private final ByteArrayOutputStream out;

    ProtoWriter() {
        this(256);
    }

    ProtoWriter(int initialCapacity) {
        out = new ByteArrayOutputStream(initialCapacity);
    }

    /** An int64/int32/enum/bool field (negative values take ten bytes, as protobuf encodes them). */
    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LEN);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** An embedded message. */
    ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LEN);
        varint(message.out.size());
        message.out.writeTo0(out);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field < 1 || field > 0x1FFFFFFF) {
            throw new IllegalArgumentException("bad field number " + field);
        }
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A ByteArrayOutputStream that can copy itself into another without an intermediate array. */
    private static final class ByteArrayOutputStream extends java.io.ByteArrayOutputStream {
        ByteArrayOutputStream(int size) {
            super(size);
        }

        void writeTo0(java.io.ByteArrayOutputStream target) {
            target.write(buf, 0, count);
        }
    }
}
