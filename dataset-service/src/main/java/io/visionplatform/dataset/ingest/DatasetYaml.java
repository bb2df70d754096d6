package io.visionplatform.dataset.ingest;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The parts of an Ultralytics {@code data.yaml} the scan uses: {@code names} (a list, or a map from class id to
 * name) and {@code kpt_shape}. Loaded with SnakeYAML's SafeConstructor (plain maps, lists and scalars only) and tight
 * size, alias and nesting limits, since the file comes from the user.
 */
record DatasetYaml(List<String> names, List<Integer> kptShape) {

    /** The document (or its names / kpt_shape) is not a usable dataset description. */
    static final class InvalidDescriptionException extends Exception {
        InvalidDescriptionException(String message) {
            super(message);
        }
    }

    private static final int MAX_CODE_POINTS = 8 << 20;
    private static final int MAX_ALIASES = 20;
    private static final int MAX_NESTING = 20;

    static DatasetYaml parse(InputStream in) throws InvalidDescriptionException {
        Object root;
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            root = newYaml().load(reader);
        } catch (YAMLException | java.io.IOException e) {
            throw new InvalidDescriptionException("not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> document)) {
            throw new InvalidDescriptionException("the document is not a mapping of keys to values");
        }
        return new DatasetYaml(names(document), kptShape(document.get("kpt_shape")));
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumperOptions), dumperOptions, options);
    }

    private static List<String> names(Map<?, ?> document) throws InvalidDescriptionException {
        Object names = document.get("names");
        return names == null ? namesFromCount(document.get("nc")) : classNames(names);
    }

    /** Class names given as a list, or as a map from class id (number or numeric text) to name. */
    static List<String> classNames(Object names) throws InvalidDescriptionException {
        if (names instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object name : list) {
                out.add(name(name));
            }
            return List.copyOf(out);
        }
        if (names instanceof Map<?, ?> map) {
            return namesFromIds(map);
        }
        throw new InvalidDescriptionException("names must be a list or a map from class id to name");
    }

    /** {@code {0: person, 1: car}} or with string keys; ids must run 0..n-1. */
    private static List<String> namesFromIds(Map<?, ?> map) throws InvalidDescriptionException {
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            int id;
            try {
                id = Integer.parseInt(String.valueOf(entry.getKey()).strip());
            } catch (NumberFormatException e) {
                throw new InvalidDescriptionException("names key '" + entry.getKey() + "' is not a class id");
            }
            byId.put(id, name(entry.getValue()));
        }
        if (!byId.isEmpty() && (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1)) {
            throw new InvalidDescriptionException("names ids must run from 0 to " + (byId.size() - 1) + " without gaps");
        }
        return List.copyOf(byId.values());
    }

    private static List<String> namesFromCount(Object nc) throws InvalidDescriptionException {
        if (nc == null) {
            return List.of();
        }
        if (!(nc instanceof Integer count) || count < 0 || count > 100_000) {
            throw new InvalidDescriptionException("nc must be a class count");
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add("class" + i);
        }
        return List.copyOf(out);
    }

    private static String name(Object value) throws InvalidDescriptionException {
        if (value == null || value instanceof Map<?, ?> || value instanceof Collection<?>) {
            throw new InvalidDescriptionException("class names must be plain text");
        }
        String name = String.valueOf(value).strip();
        if (name.isEmpty()) {
            throw new InvalidDescriptionException("a class name is empty");
        }
        return name;
    }

    /** {@code [k, 2]} or {@code [k, 3]}. */
    static List<Integer> kptShape(Object value) throws InvalidDescriptionException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number k
                && list.get(1) instanceof Number dims && k.intValue() > 0 && k.intValue() <= 10_000
                && k.doubleValue() == k.intValue() && (dims.doubleValue() == 2 || dims.doubleValue() == 3)) {
            return List.of(k.intValue(), dims.intValue());
        }
        throw new InvalidDescriptionException("kpt_shape must be [keypoints, 2 or 3], not " + value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
