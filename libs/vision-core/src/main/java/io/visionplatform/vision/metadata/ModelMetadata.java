package io.visionplatform.vision.metadata;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an Ultralytics export says about itself in its ONNX {@code metadata_props}. Every prop value is text; the
 * structured ones ({@code names}, {@code imgsz}, {@code args}, {@code end2end}, {@code stride}, {@code batch},
 * {@code channels}) are Python literals and go through {@link PythonLiteral}, the rest are taken verbatim.
 *
 * @param task {@code detect}, {@code segment}, ...; null when absent
 * @param stride the largest model stride (32 when absent, Ultralytics' default)
 * @param imgsz the export image size as {@code [height, width]}; empty when absent
 * @param names class names indexed by class id; empty when absent
 * @param batch the export batch size (1 when absent)
 * @param end2end whether the model is NMS-free (YOLO26, YOLOv10): false when absent
 * @param channels input channels (3 when absent)
 * @param args the export arguments ({@code half}, {@code dynamic}, {@code nms}, ...); empty when absent
 * @param raw every prop as stored, for keys not modelled here
 */
public record ModelMetadata(
        String task,
        int stride,
        List<Integer> imgsz,
        List<String> names,
        int batch,
        boolean end2end,
        int channels,
        String description,
        String author,
        String version,
        String date,
        Map<String, Object> args,
        Map<String, String> raw) {

    public static final int DEFAULT_STRIDE = 32;

    public ModelMetadata {
        imgsz = List.copyOf(imgsz);
        names = List.copyOf(names);
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /** Builds the metadata from the props map (e.g. {@code session.getMetadata().getCustomMetadata()}). */
    public static ModelMetadata fromProps(Map<String, String> props) {
        return new ModelMetadata(
                props.get("task"),
                intProp(props, "stride", DEFAULT_STRIDE),
                imgsz(props),
                names(props),
                intProp(props, "batch", 1),
                booleanProp(props, "end2end", false),
                intProp(props, "channels", 3),
                props.get("description"),
                props.get("author"),
                props.get("version"),
                props.get("date"),
                args(props),
                props);
    }

    /** The number of classes, from {@link #names}. */
    public int classCount() {
        return names.size();
    }

    /** The name of a class id, or the id as text when the model does not name it. */
    public String className(int classId) {
        return classId >= 0 && classId < names.size() ? names.get(classId) : String.valueOf(classId);
    }

    private static Object literal(Map<String, String> props, String key) {
        try {
            return PythonLiteral.parse(props.get(key));
        } catch (MetadataFormatException e) {
            throw new MetadataFormatException("metadata '" + key + "': " + e.getMessage(), e);
        }
    }

    private static int intProp(Map<String, String> props, String key, int absent) {
        if (!props.containsKey(key)) {
            return absent;
        }
        return toInt(literal(props, key), key);
    }

    private static int toInt(Object value, String what) {
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
            return d.intValue();
        }
        if (value instanceof BigInteger || value instanceof Long) {
            throw new MetadataFormatException("metadata '" + what + "': integer out of range: " + value);
        }
        throw new MetadataFormatException("metadata '" + what + "': expected an integer, got " + describe(value));
    }

    private static boolean booleanProp(Map<String, String> props, String key, boolean absent) {
        if (!props.containsKey(key)) {
            return absent;
        }
        Object value = literal(props, key);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new MetadataFormatException("metadata '" + key + "': expected True or False, got " + describe(value));
    }

    private static List<Integer> imgsz(Map<String, String> props) {
        if (!props.containsKey("imgsz")) {
            return List.of();
        }
        Object value = literal(props, "imgsz");
        List<Integer> sizes = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                sizes.add(toInt(o, "imgsz"));
            }
        } else {
            sizes.add(toInt(value, "imgsz"));
        }
        if (sizes.size() == 1) {
            sizes.add(sizes.get(0));
        }
        if (sizes.size() != 2 || sizes.get(0) <= 0 || sizes.get(1) <= 0) {
            throw new MetadataFormatException("metadata 'imgsz': expected [height, width] of positive integers, got "
                    + props.get("imgsz"));
        }
        return sizes;
    }

    /** Ultralytics stores {@code {0: 'a', 1: 'b'}}; a list or string keys ("0") are accepted too. Ids must be 0..n-1. */
    private static List<String> names(Map<String, String> props) {
        if (!props.containsKey("names")) {
            return List.of();
        }
        Object value = literal(props, "names");
        if (value instanceof List<?> list) {
            List<String> names = new ArrayList<>();
            for (Object o : list) {
                names.add(nameText(o));
            }
            return names;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MetadataFormatException("metadata 'names': expected a dict or list, got " + describe(value));
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            byId.put(classId(e.getKey()), nameText(e.getValue()));
        }
        if (!byId.isEmpty() && (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1)) {
            throw new MetadataFormatException("metadata 'names': class ids must be 0.." + (byId.size() - 1) + ", got "
                    + byId.keySet());
        }
        return new ArrayList<>(byId.values());
    }

    private static int classId(Object key) {
        if (key instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                throw new MetadataFormatException("metadata 'names': class id '" + s + "' is not an integer", e);
            }
        }
        return toInt(key, "names");
    }

    private static String nameText(Object o) {
        if (o instanceof String s) {
            return s;
        }
        throw new MetadataFormatException("metadata 'names': class names must be strings, got " + describe(o));
    }

    private static Map<String, Object> args(Map<String, String> props) {
        if (!props.containsKey("args")) {
            return Map.of();
        }
        Object value = literal(props, "args");
        if (!(value instanceof Map<?, ?> map)) {
            throw new MetadataFormatException("metadata 'args': expected a dict, got " + describe(value));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new MetadataFormatException("metadata 'args': keys must be strings, got " + describe(e.getKey()));
            }
            args.put(k, e.getValue());
        }
        return args;
    }

    private static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName() + " " + value;
    }
}
