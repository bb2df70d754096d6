package io.visionplatform.dataset.ingest;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Scans an Ultralytics NDJSON file line by line: a dataset record first (task, class names, keypoint shape), then
 * one image record per line whose bytes stay at their http(s) URL until the ingest worker fetches them.
 */
final class NdjsonUploadScanner {

    /** Longer lines are refused without being held in memory. */
    static final int MAX_LINE_CHARS = 16 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final IngestLimits limits;

    NdjsonUploadScanner(IngestLimits limits) {
        this.limits = limits;
    }

    ScanResult scan(Path file, DatasetTask task, String defaultSplit) {
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            BoundedLineReader lines = new BoundedLineReader(reader, MAX_LINE_CHARS);
            int lineNumber = 0;
            BoundedLineReader.Line line;
            do {
                line = lines.next();
                lineNumber++;
            } while (line != null && !line.tooLong() && line.text().isBlank());
            if (line == null) {
                throw new UploadRejectedException("the NDJSON file holds no dataset record", Map.of());
            }
            Header header = header(line, lineNumber, task);
            ScanCollector out = new ScanCollector();
            AnnotationRules rules = new AnnotationRules(task, header.classNames().size(), header.kptShape());
            int imageRecords = 0;
            while ((line = lines.next()) != null) {
                lineNumber++;
                if (!line.tooLong() && line.text().isBlank()) {
                    continue;
                }
                if (++imageRecords > limits.maxEntries()) {
                    throw new UploadRejectedException("the NDJSON file lists too many images",
                            Map.of("limit", limits.maxEntries()));
                }
                new ImageLine(lineNumber, task, defaultSplit, rules, out).read(line);
            }
            return out.finish("ndjson", header.classNames(), rules.kptShape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Header(List<String> classNames, List<Integer> kptShape) {
    }

    private static Header header(BoundedLineReader.Line line, int lineNumber, DatasetTask task) {
        JsonNode node = line.tooLong() ? null : parse(line.text()).orElse(null);
        if (node == null || !node.isObject() || !"dataset".equals(node.path("type").asText())) {
            throw new UploadRejectedException(
                    "the first NDJSON line must be the dataset record {\"type\":\"dataset\", ...}",
                    Map.of("line", lineNumber));
        }
        String declared = node.path("task").asText("");
        if (!declared.equals(task.wireName())) {
            throw new UploadRejectedException("the NDJSON file is for another task than the dataset's",
                    Map.of("expected", task.wireName(), "actual", declared));
        }
        try {
            JsonNode names = node.get("class_names");
            List<String> classNames = names == null || names.isNull() ? List.of()
                    : DatasetYaml.classNames(MAPPER.convertValue(names, Object.class));
            List<Integer> kptShape = task != DatasetTask.POSE ? List.of()
                    : DatasetYaml.kptShape(MAPPER.convertValue(node.get("kpt_shape"), Object.class));
            return new Header(classNames, kptShape);
        } catch (DatasetYaml.InvalidDescriptionException | IllegalArgumentException e) {
            throw new UploadRejectedException("the NDJSON dataset record is not valid: " + e.getMessage(),
                    Map.of("line", lineNumber));
        }
    }

    private static Optional<JsonNode> parse(String text) {
        try {
            return Optional.ofNullable(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** One image record; a broken one becomes a problem and is skipped. */
    private final class ImageLine {
        private final int lineNumber;
        private final DatasetTask task;
        private final String defaultSplit;
        private final AnnotationRules rules;
        private final ScanCollector out;
        private String file;

        ImageLine(int lineNumber, DatasetTask task, String defaultSplit, AnnotationRules rules, ScanCollector out) {
            this.lineNumber = lineNumber;
            this.task = task;
            this.defaultSplit = defaultSplit;
            this.rules = rules;
            this.out = out;
        }

        void read(BoundedLineReader.Line line) {
            if (line.tooLong()) {
                problem("longer than " + MAX_LINE_CHARS + " characters");
                return;
            }
            Optional<JsonNode> parsed = parse(line.text());
            if (parsed.isEmpty() || !parsed.get().isObject()) {
                problem("not a valid JSON object");
                return;
            }
            JsonNode node = parsed.get();
            if (!"image".equals(node.path("type").asText())) {
                problem("unknown record type '" + node.path("type").asText() + "'");
                return;
            }
            Optional<URI> url = url(node.path("url").asText(""));
            file = UploadPaths.clientBaseName(node.path("file").asText(""));
            if (file.isEmpty() && url.isPresent() && url.get().getPath() != null) {
                file = UploadPaths.baseName(url.get().getPath());
            }
            if (url.isEmpty()) {
                problem("url must be an http or https URL");
                return;
            }
            if (!UploadPaths.isSupportedImage(file)) {
                problem(UploadPaths.looksLikeImage(file)
                        ? "unsupported image format " + UploadPaths.extension(file)
                        : "file '" + file + "' is not an image file name");
                return;
            }
            Optional<String> split = split(node.get("split"));
            int width = node.path("width").asInt(0);
            int height = node.path("height").asInt(0);
            if (split.isEmpty() || !sizeFits(width, height)) {
                return;
            }
            rows(node.path("annotations").get(task.annotationKey())).ifPresent(rows -> {
                if (out.claimName(file, file)) {
                    out.add(new ScannedImage(file, split.get(), new ImageSource.RemoteUrlSource(url.get()), rows,
                            width, height));
                }
            });
        }

        private Optional<URI> url(String text) {
            try {
                URI uri = new URI(text.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                boolean web = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
                return web ? Optional.of(uri) : Optional.empty();
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }

        private Optional<String> split(JsonNode value) {
            if (value == null || value.isNull()) {
                return Optional.of(defaultSplit);
            }
            String split = UploadPaths.splitOf(value.asText());
            if (split == null) {
                problem("split '" + value.asText() + "' is not train, val or test");
            }
            return Optional.ofNullable(split);
        }

        private boolean sizeFits(int width, int height) {
            if (width < 0 || height < 0) {
                problem("width and height must not be negative");
                return false;
            }
            if ((long) width * height > limits.maxImagePixels()) {
                problem("image has " + width + "×" + height + " pixels, more than the limit of "
                        + limits.maxImagePixels());
                return false;
            }
            return true;
        }

        /** Rows of the task's annotation key; classify also takes a flat list of class ids. */
        private Optional<List<List<Double>>> rows(JsonNode value) {
            if (value == null || value.isNull()) {
                return Optional.of(List.of());
            }
            if (!value.isArray()) {
                problem("annotations." + task.annotationKey() + " is not a list of rows");
                return Optional.empty();
            }
            List<List<Double>> rows = new ArrayList<>();
            int index = 0;
            for (JsonNode row : value) {
                index++;
                JsonNode values = row.isNumber() && task == DatasetTask.CLASSIFY ? MAPPER.createArrayNode().add(row)
                        : row;
                try {
                    rows.add(rules.check(numbers(values)));
                } catch (InvalidAnnotationException e) {
                    problem("annotation " + index + ": " + e.getMessage());
                    return Optional.empty();
                }
            }
            return Optional.of(List.copyOf(rows));
        }

        private double[] numbers(JsonNode row) throws InvalidAnnotationException {
            if (!row.isArray() || row.isEmpty()) {
                throw new InvalidAnnotationException("a row must be a non-empty list of numbers");
            }
            double[] values = new double[row.size()];
            for (int i = 0; i < values.length; i++) {
                if (!row.get(i).isNumber()) {
                    throw new InvalidAnnotationException("value " + (i + 1) + " is not a number");
                }
                values[i] = row.get(i).asDouble();
            }
            return values;
        }

        private void problem(String reason) {
            out.problem(file == null || file.isEmpty() ? "line " + lineNumber : file,
                    "line " + lineNumber + ": " + reason);
        }
    }
}
