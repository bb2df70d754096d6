package io.visionplatform.vision.metadata;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an Ultralytics export says about itself: the ONNX {@code metadata_props} ({@link #fromProps}) or the JSON
 * {@code config.txt} extra file of a TorchScript export ({@link #fromJson}). Every ONNX prop value is text; the
 * structured ones ({@code names}, {@code imgsz}, {@code args}, {@code end2end}, {@code stride}, {@code batch},
 * {@code channels}) are Python literals and go through {@link PythonLiteral}, the rest are taken verbatim. The
 * TorchScript file holds the same keys as one JSON object ({@code json.dumps} of the same dict, so {@code names} has
 * string keys {@code "0"}, {@code "1"}, ...), parsed by {@link JsonLiteral}; both give the same record.
 *
 * @param task {@code detect}, {@code segment}, ...; null when absent
 * @param stride the largest model stride (32 when absent, Ultralytics' default)
 * @param imgsz the export image size as {@code [height, width]}; empty when absent
 * @param names class names indexed by class id; empty when absent
 * @param batch the export batch size (1 when absent)
 * @param end2end whether the model is NMS-free (YOLO26, YOLOv10): false when absent
 * @param channels input channels (3 when absent)
 * @param args the export arguments ({@code half}, {@code dynamic}, {@code nms}, ...); empty when absent
 * @param raw every prop as stored, for keys not modelled here; from JSON: string values decoded, every other value as
 *        its JSON source text
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

    /**
     * Builds the metadata from the JSON object Ultralytics stores in a TorchScript export's {@code config.txt}
     * ({@code json.dumps(metadata)}): {@code {"description": ..., "stride": 32, "task": "detect", "batch": 1,
     * "imgsz": [640, 640], "names": {"0": "person", ...}, "args": {...}, ...}}. Missing keys get the same defaults as
     * {@link #fromProps}.
     *
     * @throws MetadataFormatException when the text is not a JSON object or a known key has the wrong type
     */
    public static ModelMetadata fromJson(String json) {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, Object> members;
        try {
            members = JsonLiteral.parseObject(json, sources);
        } catch (MetadataFormatException e) {
            throw new MetadataFormatException("metadata JSON: " + e.getMessage(), e);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : members.entrySet()) {
            raw.put(e.getKey(), e.getValue() instanceof String s ? s : sources.get(e.getKey()));
        }
        return new ModelMetadata(
                jsonString(members, sources, "task", true),
                members.containsKey("stride") ? toInt(members.get("stride"), "stride") : DEFAULT_STRIDE,
                members.containsKey("imgsz") ? imgszValue(members.get("imgsz"), sources.get("imgsz")) : List.of(),
                members.containsKey("names") ? namesValue(members.get("names")) : List.of(),
                members.containsKey("batch") ? toInt(members.get("batch"), "batch") : 1,
                members.containsKey("end2end") && booleanValue(members.get("end2end"), "end2end"),
                members.containsKey("channels") ? toInt(members.get("channels"), "channels") : 3,
                jsonString(members, sources, "description", false),
                jsonString(members, sources, "author", false),
                jsonString(members, sources, "version", false),
                jsonString(members, sources, "date", false),
                members.containsKey("args") ? argsValue(members.get("args")) : Map.of(),
                raw);
    }

    /** A string member; null when absent or JSON null. Other values are refused, or kept as their JSON text. */
    private static String jsonString(Map<String, Object> members, Map<String, String> sources, String key,
            boolean strict) {
        Object value = members.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (strict) {
            throw new MetadataFormatException("metadata '" + key + "': expected a string, got " + describe(value));
        }
        return sources.get(key);
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
        return booleanValue(literal(props, key), key);
    }

    private static boolean booleanValue(Object value, String key) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new MetadataFormatException("metadata '" + key + "': expected True or False, got " + describe(value));
    }

    private static List<Integer> imgsz(Map<String, String> props) {
        if (!props.containsKey("imgsz")) {
            return List.of();
        }
        return imgszValue(literal(props, "imgsz"), props.get("imgsz"));
    }

    private static List<Integer> imgszValue(Object value, String text) {
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
                    + text);
        }
        return sizes;
    }

    /** Ultralytics stores {@code {0: 'a', 1: 'b'}}; a list or string keys ("0") are accepted too. Ids must be 0..n-1. */
    private static List<String> names(Map<String, String> props) {
        if (!props.containsKey("names")) {
            return List.of();
        }
        return namesValue(literal(props, "names"));
    }

    private static List<String> namesValue(Object value) {
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
        return argsValue(literal(props, "args"));
    }

    private static Map<String, Object> argsValue(Object value) {
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
