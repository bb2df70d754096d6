package io.visionplatform.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.visionplatform.vision.metadata.PythonLiteral;

/** The protobuf wire-format writer and reader, and the Python repr of metadata values. */
class ProtoAndReprTest {

    @Test
    void varintsFloatsStringsAndNestedMessagesRoundTrip() {
        long[] values = { 0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1, -300,
                Long.MIN_VALUE };
        ProtoWriter w = new ProtoWriter();
        for (long v : values) {
            w.int64(1, v);
        }
        w.float32(2, -1.5f).string(3, "images é").message(4, new ProtoWriter().int64(5, 42).string(6, ""));
        byte[] bytes = w.toByteArray();
        // 128 is 0x80 0x01 and 300 is 0xAC 0x02, each after its tag 0x08
        assertThat(bytes).startsWith(0x08, 0x00, 0x08, 0x01, 0x08, 0x7f, 0x08, 0x80, 0x01, 0x08, 0xac, 0x02);
        ProtoReader r = new ProtoReader(bytes);
        List<Long> read = new ArrayList<>();
        float f = 0;
        String s = null;
        long nested = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> read.add(r.int64());
                case 2 -> f = r.float32();
                case 3 -> s = r.string();
                case 4 -> {
                    ProtoReader m = r.message();
                    while (m.next()) {
                        if (m.field() == 5) {
                            nested = m.int64();
                        } else {
                            m.skip();
                        }
                    }
                }
                default -> r.skip();
            }
        }
        assertThat(read).containsExactly(0L, 1L, 127L, 128L, 300L, 16_383L, 16_384L, (long) Integer.MAX_VALUE,
                Long.MAX_VALUE, -1L, -300L, Long.MIN_VALUE);
        assertThat(f).isEqualTo(-1.5f);
        assertThat(s).isEqualTo("images é");
        assertThat(nested).isEqualTo(42);
    }

    @Test
    void knownEncodings() {
        // protobuf's documented example: field 1 = 150 is 08 96 01
        assertThat(new ProtoWriter().int64(1, 150).toByteArray()).containsExactly(0x08, 0x96, 0x01);
        // field 2 = "testing" is 12 07 74 65 73 74 69 6e 67
        assertThat(new ProtoWriter().string(2, "testing").toByteArray()).containsExactly(0x12, 0x07, 0x74, 0x65, 0x73,
                0x74, 0x69, 0x6e, 0x67);
        assertThat(new ProtoWriter().float32(1, 1f).toByteArray()).containsExactly(0x0d, 0x00, 0x00, 0x80, 0x3f);
    }

    @Test
    void readerRefusesMalformedInput() {
        assertThatThrownBy(() -> {
            ProtoReader r = new ProtoReader(new byte[] { 0x0a, 0x05, 0x41 });
            r.next();
            r.string();
        }).isInstanceOf(OnnxFormatException.class).hasMessageContaining("claims 5 bytes");
        assertThatThrownBy(() -> {
            ProtoReader r = new ProtoReader(new byte[] { 0x08, (byte) 0x80 });
            r.next();
            r.int64();
        }).isInstanceOf(OnnxFormatException.class).hasMessageContaining("truncated varint");
        assertThatThrownBy(() -> {
            ProtoReader r = new ProtoReader(new byte[] { 0x0b });
            r.next();
            r.skip();
        }).isInstanceOf(OnnxFormatException.class).hasMessageContaining("wire type 3");
        assertThatThrownBy(() -> {
            ProtoReader r = new ProtoReader(new byte[] { 0x08, 0x01 });
            r.next();
            r.string();
        }).isInstanceOf(OnnxFormatException.class);
    }

    @Test
    void pythonReprMatchesCpython() {
        Map<Object, Object> names = new LinkedHashMap<>();
        names.put(0, "circle");
        names.put(1, "it's");
        names.put(2, "say \"hi\" it's");
        names.put(3, "back\\slash\ttab\nnl\u0001\u00e9\u00a0\u200b\u4e2d");
        assertThat(PythonRepr.repr(names)).isEqualTo("{0: 'circle', 1: \"it's\", 2: 'say \"hi\" it\\'s', "
                + "3: 'back\\\\slash\\ttab\\nnl\\x01\u00e9\\xa0\\u200b\u4e2d'}");
        assertThat(PythonRepr.repr(List.of(192, 256))).isEqualTo("[192, 256]");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("batch", 1);
        args.put("half", false);
        args.put("none", null);
        args.put("nms", true);
        assertThat(PythonRepr.repr(args)).isEqualTo("{'batch': 1, 'half': False, 'none': None, 'nms': True}");
        assertThatThrownBy(() -> PythonRepr.repr(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pythonReprReadsBackWithPythonLiteral() {
        Map<Object, Object> names = new LinkedHashMap<>();
        names.put(0, "circle");
        names.put(1, "it's");
        names.put(2, "say \"hi\" it's");
        names.put(3, "back\\slash\ttab\nnl\u0001\u00e9");
        Object parsed = PythonLiteral.parse(PythonRepr.repr(names));
        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) parsed;
        assertThat(m.get(1L)).isEqualTo("it's");
        assertThat(m.get(2L)).isEqualTo("say \"hi\" it's");
        assertThat(m.get(3L)).isEqualTo("back\\slash\ttab\nnl\u0001\u00e9");
    }
}
