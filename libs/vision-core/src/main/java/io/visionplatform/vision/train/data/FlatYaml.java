package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the flat YAML subset of an Ultralytics {@code data.yaml}, so vision-core needs no YAML library: top-level
 * {@code key: scalar}, and a key whose value is a block list ({@code - item} lines), a block map ({@code 0: circle}
 * lines, indented), an inline list {@code [a, b]} or an inline map {@code {0: a, 1: b}}. Scalars may be quoted; comments
 * start with {@code #}. Values come back as {@code String}, {@code List<String>} or {@code Map<String, String>}; anything
 * else (nesting, anchors, multi-line strings) is a {@link DatasetFormatException} naming the line.
 */
final class FlatYaml {

    private final Path source;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private FlatYaml(Path source) {
        this.source = source;
    }

    static Map<String, Object> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file);
    }

    static Map<String, Object> parse(List<String> lines, Path source) {
        FlatYaml yaml = new FlatYaml(source);
        yaml.parseLines(lines);
        return Collections.unmodifiableMap(yaml.values);
    }

    private void parseLines(List<String> lines) {
        String openKey = null; // a top-level key written as "key:" whose block follows
        List<String> blockList = null;
        Map<String, String> blockMap = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String raw = lines.get(i);
            if (i == 0 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1);
            }
            String line = stripComment(raw).stripTrailing();
            if (line.isBlank() || line.equals("---")) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            String content = line.strip();
            if (indented || content.startsWith("- ") || content.equals("-")) {
                if (openKey == null) {
                    throw DatasetFormatException.at(source, lineNo, "indented line without a key above it");
                }
                if (content.startsWith("-")) {
                    if (blockMap != null) {
                        throw DatasetFormatException.at(source, lineNo, "list item inside the map '" + openKey + "'");
                    }
                    if (blockList == null) {
                        blockList = new ArrayList<>();
                        values.put(openKey, blockList);
                    }
                    blockList.add(scalar(content.substring(1).strip(), lineNo));
                } else {
                    if (blockList != null) {
                        throw DatasetFormatException.at(source, lineNo, "map entry inside the list '" + openKey + "'");
                    }
                    if (blockMap == null) {
                        blockMap = new LinkedHashMap<>();
                        values.put(openKey, blockMap);
                    }
                    String[] kv = splitKeyValue(content, lineNo);
                    if (kv[1].isEmpty()) {
                        throw DatasetFormatException.at(source, lineNo, "nested blocks are not supported");
                    }
                    blockMap.put(kv[0], scalar(kv[1], lineNo));
                }
                continue;
            }
            String[] kv = splitKeyValue(content, lineNo);
            if (values.containsKey(kv[0])) {
                throw DatasetFormatException.at(source, lineNo, "duplicate key '" + kv[0] + "'");
            }
            blockList = null;
            blockMap = null;
            if (kv[1].isEmpty()) {
                openKey = kv[0];
                values.put(openKey, null);
            } else {
                openKey = null;
                values.put(kv[0], inlineValue(kv[1], lineNo));
            }
        }
    }

    private Object inlineValue(String text, int lineNo) {
        if (text.startsWith("[")) {
            List<String> list = new ArrayList<>();
            for (String item : inlineItems(text, ']', lineNo)) {
                list.add(scalar(item, lineNo));
            }
            return list;
        }
        if (text.startsWith("{")) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String item : inlineItems(text, '}', lineNo)) {
                String[] kv = splitKeyValue(item, lineNo);
                map.put(kv[0], scalar(kv[1], lineNo));
            }
            return map;
        }
        if (text.startsWith("|") || text.startsWith(">") || text.startsWith("&") || text.startsWith("*")) {
            throw DatasetFormatException.at(source, lineNo, "unsupported YAML construct: " + text);
        }
        return scalar(text, lineNo);
    }

    private List<String> inlineItems(String text, char close, int lineNo) {
        if (text.charAt(text.length() - 1) != close) {
            throw DatasetFormatException.at(source, lineNo, "unterminated inline collection: " + text);
        }
        String body = text.substring(1, text.length() - 1).strip();
        List<String> items = new ArrayList<>();
        if (body.isEmpty()) {
            return items;
        }
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                current.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                current.append(c);
            } else if (c == ',') {
                items.add(current.toString().strip());
                current.setLength(0);
            } else if (c == '[' || c == '{') {
                throw DatasetFormatException.at(source, lineNo, "nested collections are not supported");
            } else {
                current.append(c);
            }
        }
        if (quote != 0) {
            throw DatasetFormatException.at(source, lineNo, "unterminated quote");
        }
        items.add(current.toString().strip());
        return items;
    }

    /** Splits {@code key: value} at the first colon followed by a space or the end, outside quotes. */
    private String[] splitKeyValue(String content, int lineNo) {
        char quote = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) {
                String key = scalar(content.substring(0, i).strip(), lineNo);
                if (key.isEmpty()) {
                    throw DatasetFormatException.at(source, lineNo, "empty key");
                }
                return new String[] { key, content.substring(i + 1).strip() };
            }
        }
        throw DatasetFormatException.at(source, lineNo, "expected 'key: value', got: " + content);
    }

    private String scalar(String text, int lineNo) {
        if (text.length() >= 2 && (text.charAt(0) == '\'' || text.charAt(0) == '"')) {
            char q = text.charAt(0);
            if (text.charAt(text.length() - 1) != q) {
                throw DatasetFormatException.at(source, lineNo, "unterminated quote: " + text);
            }
            String inner = text.substring(1, text.length() - 1);
            return q == '\'' ? inner.replace("''", "'") : inner.replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (text.startsWith("'") || text.startsWith("\"")) {
            throw DatasetFormatException.at(source, lineNo, "unterminated quote: " + text);
        }
        return text;
    }

    /** Drops a {@code #} comment: at the line start or after whitespace, outside quotes (as YAML does). */
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if ((c == '\'' || c == '"') && (i == 0 || " [{,:-".indexOf(line.charAt(i - 1)) >= 0)) {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
