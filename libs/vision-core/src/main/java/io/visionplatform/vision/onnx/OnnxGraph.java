package io.visionplatform.vision.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Builds one ONNX {@code GraphProto} (nodes in topological order, float32 / int64 initializers, typed graph inputs
 * and outputs) and wraps it into a {@code ModelProto}. Field numbers are those of {@code onnx.proto}; tensors carry
 * their values as little-endian {@code raw_data}. Names are unique: a second node or initializer asking for a taken
 * name gets a numbered one.
 */
final class OnnxGraph {

    /** {@code TensorProto.DataType}. */
    static final int FLOAT = 1;
    static final int INT64 = 7;

    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    /** One node attribute. */
    record Attr(String name, int type, long i, float f, String s, long[] ints) {

        static Attr of(String name, long value) {
            return new Attr(name, ATTR_INT, value, 0, null, null);
        }

        static Attr of(String name, float value) {
            return new Attr(name, ATTR_FLOAT, 0, value, null, null);
        }

        static Attr of(String name, String value) {
            return new Attr(name, ATTR_STRING, 0, 0, value, null);
        }

        static Attr ints(String name, long... values) {
            return new Attr(name, ATTR_INTS, 0, 0, null, values.clone());
        }

        ProtoWriter proto() {
            ProtoWriter a = new ProtoWriter().string(1, name);
            switch (type) {
                case ATTR_FLOAT -> a.float32(2, f);
                case ATTR_INT -> a.int64(3, i);
                case ATTR_STRING -> a.string(4, s);
                case ATTR_INTS -> {
                    for (long v : ints) {
                        a.int64(8, v);
                    }
                }
                default -> throw new IllegalStateException("attribute type " + type);
            }
            return a.int64(20, type);
        }
    }

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> int64Constants = new HashMap<>();
    private final SortedSet<String> opTypes = new TreeSet<>();
    private long initializerElements;

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A float32 initializer; returns its (unique) name. */
    String floats(String wanted, float[] values, long... dims) {
        checkCount(values.length, dims);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(wanted, FLOAT, raw.array(), dims);
    }

    /** A 1-D int64 initializer (shapes, split sizes, k), shared between nodes that need the same values. */
    String int64s(long... values) {
        String key = java.util.Arrays.toString(values);
        String existing = int64Constants.get(key);
        if (existing != null) {
            return existing;
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        StringBuilder wanted = new StringBuilder("const_i64");
        for (long v : values) {
            wanted.append('_').append(v < 0 ? "m" + -v : Long.toString(v));
        }
        String n = initializer(wanted.length() > 60 ? "const_i64" : wanted.toString(), INT64, raw.array(),
                values.length);
        int64Constants.put(key, n);
        return n;
    }

    private String initializer(String wanted, int dataType, byte[] raw, long... dims) {
        String n = unique(wanted);
        ProtoWriter t = new ProtoWriter(raw.length + 64);
        for (long d : dims) {
            t.int64(1, d);
        }
        t.int64(2, dataType).string(8, n).bytes(9, raw);
        initializers.add(t);
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        initializerElements += count;
        return n;
    }

    private static void checkCount(int length, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != length) {
            throw new IllegalArgumentException(length + " values for dims " + java.util.Arrays.toString(dims));
        }
    }

    /** A node with one output, named after {@code scope} and the op; returns the output's name. */
    String node(String scope, String op, List<String> in, Attr... attrs) {
        return node(scope, op, in, 1, attrs).get(0);
    }

    /** A node with {@code outputCount} outputs; returns their names. */
    List<String> node(String scope, String op, List<String> in, int outputCount, Attr... attrs) {
        String nodeName = unique(scope + "/" + op);
        List<String> out = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++) {
            out.add(unique(nodeName + "_output_" + i));
        }
        ProtoWriter n = new ProtoWriter();
        for (String s : in) {
            n.string(1, s);
        }
        for (String s : out) {
            n.string(2, s);
        }
        n.string(3, nodeName).string(4, op);
        for (Attr a : attrs) {
            n.message(5, a.proto());
        }
        nodes.add(n);
        opTypes.add(op);
        return out;
    }

    /** Declares a graph input (a tensor of {@code elemType} and static {@code dims}). */
    void input(String inputName, int elemType, long... dims) {
        if (!names.add(inputName)) {
            throw new IllegalArgumentException("name taken: " + inputName);
        }
        inputs.add(valueInfo(inputName, elemType, dims));
    }

    /** Declares a graph output; a node made with {@link #nodeTo} must produce a value of that name. */
    void output(String outputName, int elemType, long... dims) {
        outputs.add(valueInfo(outputName, elemType, dims));
    }

    /** A node with one output of exactly {@code outputName} (a graph output such as {@code output0}). */
    String nodeTo(String scope, String op, List<String> in, String outputName, Attr... attrs) {
        if (!names.add(outputName)) {
            throw new IllegalArgumentException("name taken: " + outputName);
        }
        String nodeName = unique(scope + "/" + op);
        ProtoWriter n = new ProtoWriter();
        for (String s : in) {
            n.string(1, s);
        }
        n.string(2, outputName).string(3, nodeName).string(4, op);
        for (Attr a : attrs) {
            n.message(5, a.proto());
        }
        nodes.add(n);
        opTypes.add(op);
        return outputName;
    }

    private static ProtoWriter valueInfo(String n, int elemType, long... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.message(1, new ProtoWriter().int64(1, d));
        }
        ProtoWriter tensor = new ProtoWriter().int64(1, elemType).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensor);
        return new ProtoWriter().string(1, n).message(2, type);
    }

    private String unique(String wanted) {
        if (names.add(wanted)) {
            return wanted;
        }
        for (int i = 1;; i++) {
            String candidate = wanted + "_" + i;
            if (names.add(candidate)) {
                return candidate;
            }
        }
    }

    int nodeCount() {
        return nodes.size();
    }

    SortedSet<String> opTypes() {
        return opTypes;
    }

    long initializerElements() {
        return initializerElements;
    }

    /** The {@code ModelProto}: IR version, producer, the default-domain opset, this graph, the metadata props in order. */
    byte[] model(long irVersion, String producerName, String producerVersion, long opset,
            List<Map.Entry<String, String>> metadataProps) {
        long size = 1024;
        for (ProtoWriter t : initializers) {
            size += t.size() + 8;
        }
        ProtoWriter graph = new ProtoWriter((int) Math.min(Integer.MAX_VALUE - 16, size + 64L * nodes.size()));
        for (ProtoWriter n : nodes) {
            graph.message(1, n);
        }
        graph.string(2, name);
        for (ProtoWriter t : initializers) {
            graph.message(5, t);
        }
        for (ProtoWriter i : inputs) {
            graph.message(11, i);
        }
        for (ProtoWriter o : outputs) {
            graph.message(12, o);
        }
        ProtoWriter model = new ProtoWriter(graph.size() + 4096);
        model.int64(1, irVersion)
                .string(2, producerName)
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, opset));
        for (Map.Entry<String, String> e : metadataProps) {
            model.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return model.toByteArray();
    }
}
