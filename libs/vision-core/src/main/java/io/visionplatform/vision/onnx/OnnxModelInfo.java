package io.visionplatform.vision.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What an ONNX file says about itself, read straight from its {@code ModelProto} (no ONNX Runtime session): IR
 * version, opsets, producer, the graph's inputs and outputs with their element types and shapes, the
 * {@code metadata_props} in file order, and the nodes' operator types. Used to compare our exports with Ultralytics'
 * field by field.
 *
 * @param opsets domain ({@code ai.onnx} for the default domain) to version, in file order
 * @param inputs graph inputs that are not initializers
 * @param metadataProps {@code metadata_props} as stored, in file order
 * @param opTypes the distinct {@code op_type}s of the main graph's nodes, sorted
 */
public record OnnxModelInfo(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion,
        List<ValueInfo> inputs, List<ValueInfo> outputs, List<Map.Entry<String, String>> metadataProps, int nodeCount,
        SortedSet<String> opTypes, int initializerCount) {

    /**
     * A graph input or output.
     *
     * @param elemType {@code TensorProto.DataType} (1 float32, 7 int64, ...); 0 when not a tensor
     * @param shape per dimension its size, or -1 for a symbolic or unknown one
     */
    public record ValueInfo(String name, int elemType, List<Long> shape) {
        public ValueInfo {
            shape = List.copyOf(shape);
        }
    }

    public OnnxModelInfo {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        metadataProps = List.copyOf(metadataProps);
        opTypes = Collections.unmodifiableSortedSet(new TreeSet<>(opTypes));
    }

    /** The default-domain ({@code ai.onnx}) opset version, or -1 when there is none. */
    public long opset() {
        return opsets.getOrDefault("ai.onnx", -1L);
    }

    /** The metadata props as a map (a repeated key keeps its last value). */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadataProps) {
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    public static OnnxModelInfo read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** @throws OnnxFormatException when the bytes are not a well-formed ModelProto */
    public static OnnxModelInfo parse(byte[] model) {
        long ir = 0;
        String producer = "";
        String producerVersion = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        List<Map.Entry<String, String>> props = new ArrayList<>();
        ProtoReader graph = null;
        ProtoReader r = new ProtoReader(model);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> ir = r.int64();
                case 2 -> producer = r.string();
                case 3 -> producerVersion = r.string();
                case 7 -> graph = r.message();
                case 8 -> {
                    ProtoReader o = r.message();
                    String domain = "";
                    long version = 0;
                    while (o.next()) {
                        switch (o.field()) {
                            case 1 -> domain = o.string();
                            case 2 -> version = o.int64();
                            default -> o.skip();
                        }
                    }
                    opsets.put(domain.isEmpty() ? "ai.onnx" : domain, version);
                }
                case 14 -> {
                    ProtoReader p = r.message();
                    String key = "";
                    String value = "";
                    while (p.next()) {
                        switch (p.field()) {
                            case 1 -> key = p.string();
                            case 2 -> value = p.string();
                            default -> p.skip();
                        }
                    }
                    props.add(Map.entry(key, value));
                }
                default -> r.skip();
            }
        }
        if (graph == null) {
            throw new OnnxFormatException("the model has no graph");
        }
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        Set<String> initializers = new HashSet<>();
        SortedSet<String> ops = new TreeSet<>();
        int nodes = 0;
        int initializerCount = 0;
        while (graph.next()) {
            switch (graph.field()) {
                case 1 -> {
                    nodes++;
                    ProtoReader n = graph.message();
                    while (n.next()) {
                        if (n.field() == 4) {
                            ops.add(n.string());
                        } else {
                            n.skip();
                        }
                    }
                }
                case 5 -> {
                    initializerCount++;
                    ProtoReader t = graph.message();
                    while (t.next()) {
                        if (t.field() == 8) {
                            initializers.add(t.string());
                        } else {
                            t.skip();
                        }
                    }
                }
                case 11 -> inputs.add(valueInfo(graph.message()));
                case 12 -> outputs.add(valueInfo(graph.message()));
                default -> graph.skip();
            }
        }
        inputs.removeIf(v -> initializers.contains(v.name()));
        return new OnnxModelInfo(ir, opsets, producer, producerVersion, inputs, outputs, props, nodes, ops,
                initializerCount);
    }

    private static ValueInfo valueInfo(ProtoReader v) {
        String name = "";
        int elemType = 0;
        List<Long> shape = new ArrayList<>();
        while (v.next()) {
            if (v.field() == 1) {
                name = v.string();
            } else if (v.field() == 2) {
                ProtoReader type = v.message();
                while (type.next()) {
                    if (type.field() != 1) { // tensor_type
                        type.skip();
                        continue;
                    }
                    ProtoReader tensor = type.message();
                    while (tensor.next()) {
                        if (tensor.field() == 1) {
                            elemType = (int) tensor.int64();
                        } else if (tensor.field() == 2) {
                            ProtoReader s = tensor.message();
                            while (s.next()) {
                                if (s.field() != 1) {
                                    s.skip();
                                    continue;
                                }
                                ProtoReader dim = s.message();
                                long size = -1;
                                while (dim.next()) {
                                    if (dim.field() == 1) {
                                        size = dim.int64();
                                    } else {
                                        dim.skip();
                                    }
                                }
                                shape.add(size);
                            }
                        } else {
                            tensor.skip();
                        }
                    }
                }
            } else {
                v.skip();
            }
        }
        return new ValueInfo(name, elemType, shape);
    }
}
