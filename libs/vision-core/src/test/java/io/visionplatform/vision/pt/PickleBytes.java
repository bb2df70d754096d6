package io.visionplatform.vision.pt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds pickle streams opcode by opcode, for hand-made (and hostile) test inputs. */
final class PickleBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A stream starting with {@code PROTO 2}. */
    static PickleBytes proto2() {
        return new PickleBytes().op(0x80, 2);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    PickleBytes op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBytes ascii(String text) {
        return raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    PickleBytes u32(long v) {
        return op((int) v & 0xff, (int) (v >>> 8) & 0xff, (int) (v >>> 16) & 0xff, (int) (v >>> 24) & 0xff);
    }

    PickleBytes u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    PickleBytes global(String module, String name) {
        return op('c').ascii(module + "\n" + name + "\n");
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').u32(b.length).raw(b);
    }

    PickleBytes int1(int v) {
        return op('K', v);
    }

    PickleBytes int4(int v) {
        return op('J').u32(v);
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes tuple1() {
        return op(0x85);
    }

    PickleBytes tuple2() {
        return op(0x86);
    }

    PickleBytes tuple3() {
        return op(0x87);
    }

    PickleBytes emptyTuple() {
        return op(')');
    }

    PickleBytes emptyList() {
        return op(']');
    }

    PickleBytes emptyDict() {
        return op('}');
    }

    PickleBytes append() {
        return op('a');
    }

    PickleBytes appends() {
        return op('e');
    }

    PickleBytes setitem() {
        return op('s');
    }

    PickleBytes setitems() {
        return op('u');
    }

    PickleBytes none() {
        return op('N');
    }

    PickleBytes bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes newobj() {
        return op(0x81);
    }

    PickleBytes build() {
        return op('b');
    }

    PickleBytes put(int index) {
        return op('r').u32(index);
    }

    PickleBytes get(int index) {
        return op('j').u32(index);
    }

    PickleBytes persid() {
        return op('Q');
    }

    PickleBytes binfloat(double v) {
        op('G');
        long bits = Double.doubleToLongBits(v);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)) & 0xff);
        }
        return this;
    }

    PickleBytes stop() {
        return op('.');
    }

    /** {@code OrderedDict()} via GLOBAL + EMPTY_TUPLE + REDUCE, as torch writes hooks and parameter dicts. */
    PickleBytes orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /**
     * {@code _rebuild_tensor_v2(persid(('storage', torch.<type>, key, 'cpu', numel)), offset, size, stride, False,
     * OrderedDict())}.
     */
    PickleBytes tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").int4((int) numel).tuple().persid();
        int4((int) offset);
        mark();
        for (long s : size) {
            int4((int) s);
        }
        tuple();
        mark();
        for (long s : stride) {
            int4((int) s);
        }
        tuple();
        bool(false);
        orderedDict();
        tuple();
        return reduce();
    }

    /** {@code _rebuild_parameter(<tensor>, requiresGrad, OrderedDict())}: call before writing the tensor. */
    PickleBytes parameterStart() {
        return global("torch._utils", "_rebuild_parameter");
    }

    PickleBytes parameterEnd(boolean requiresGrad) {
        bool(requiresGrad);
        orderedDict();
        tuple3();
        return reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
