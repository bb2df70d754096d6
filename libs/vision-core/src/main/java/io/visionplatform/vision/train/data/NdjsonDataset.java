package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.visionplatform.vision.metadata.JsonLiteral;
import io.visionplatform.vision.metadata.MetadataFormatException;

/**
 * Loads an Ultralytics NDJSON dataset export (see SDK-PROTOCOL.md, "NDJSON format"): line 1 is the dataset header
 * with {@code class_names}, every other line one image with {@code file}, {@code url}, {@code split} and
 * {@code annotations.boxes} ({@code [[cls, cx, cy, w, h], ...]}). Images are downloaded into the cache folder; the
 * {@code test} split is ignored; without a {@code val} split a fixed-seed 10 % of {@code train} becomes val, as the SDK
 * does.
 */
final class NdjsonDataset {

    /** Fixed so that the same export always splits the same way (resumed runs validate on the same images). */
    static final long VAL_SPLIT_SEED = 0x5EEDL;
    static final double VAL_FRACTION = 0.1;

    private record ImageLine(int lineNo, String split, String file, URI url, float[] boxes) {
    }

    private NdjsonDataset() {
    }

    static boolean looksLikeNdjson(String data) {
        String lower = data.toLowerCase(java.util.Locale.ROOT);
        int query = lower.indexOf('?');
        String path = query >= 0 ? lower.substring(0, query) : lower;
        return path.endsWith(".ndjson") || path.endsWith(".jsonl");
    }

    static TrainingData load(String data, Path cacheDir, ImageDownloader downloader) throws IOException {
        URI base;
        List<String> lines;
        if (data.startsWith("http://") || data.startsWith("https://")) {
            base = URI.create(data);
            lines = fetchLines(base);
        } else {
            Path file = Path.of(data).toAbsolutePath();
            base = file.toUri();
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        String source = data.contains("?") ? data.substring(0, data.indexOf('?')) : data;
        return parseAndDownload(lines, source, base, cacheDir, downloader);
    }

    private static List<String> fetchLines(URI url) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new IOException("cannot download the dataset " + ImageDownloader.redact(url) + ": HTTP "
                        + response.statusCode());
            }
            return response.body().lines().toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("dataset download interrupted");
        }
    }

    private static TrainingData parseAndDownload(List<String> lines, String source, URI base, Path cacheDir,
            ImageDownloader downloader) throws IOException {
        List<String> names = null;
        List<ImageLine> images = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Map<String, Object> json = parseObject(line, source, i + 1);
            if (names == null) {
                if (!"dataset".equals(json.get("type"))) {
                    throw DatasetFormatException.at(source, i + 1, "the first line must be the dataset header "
                            + "({\"type\":\"dataset\", \"class_names\": {...}, ...})");
                }
                names = classNames(json, source, i + 1);
                continue;
            }
            ImageLine image = imageLine(json, source, i + 1, base, names.size());
            if (image != null) {
                images.add(image);
            }
        }
        if (names == null) {
            throw new DatasetFormatException(source + ": empty dataset file");
        }

        Path imageDir = cacheDir.resolve("images");
        List<ImageDownloader.Download> downloads = new ArrayList<>();
        List<Sample> train = new ArrayList<>();
        List<Sample> val = new ArrayList<>();
        Set<Path> targets = new HashSet<>();
        for (ImageLine image : images) {
            Path target = imageDir.resolve(image.split()).resolve(safeFileName(image.file()));
            if (!targets.add(target)) {
                throw DatasetFormatException.at(source, image.lineNo(), "duplicate image file name '" + image.file()
                        + "' in split " + image.split());
            }
            if ("file".equals(image.url().getScheme())) {
                target = Path.of(image.url());
                if (!Files.isRegularFile(target)) {
                    throw DatasetFormatException.at(source, image.lineNo(), "image not found: " + target);
                }
            } else {
                downloads.add(new ImageDownloader.Download(image.url(), target,
                        "image '" + image.file() + "' (" + source + ":" + image.lineNo() + ")"));
            }
            (image.split().equals("val") ? val : train).add(new Sample(target, image.boxes()));
        }
        if (train.isEmpty()) {
            throw new DatasetFormatException(source + ": no images in the 'train' split");
        }
        downloader.downloadAll(downloads);
        if (val.isEmpty()) {
            return splitOffVal(names, train);
        }
        return new TrainingData(names, train, val);
    }

    /** Moves a seeded 10 % of train (at least one image) to val, keeping file order within both. */
    static TrainingData splitOffVal(List<String> names, List<Sample> train) {
        int n = train.size();
        if (n < 2) {
            return new TrainingData(names, train, List.copyOf(train)); // nothing to spare: validate on the one image
        }
        int valCount = Math.max(1, (int) Math.round(n * VAL_FRACTION));
        int[] order = Seeds.permutation(n, new SplittableRandom(VAL_SPLIT_SEED));
        boolean[] toVal = new boolean[n];
        for (int i = 0; i < valCount; i++) {
            toVal[order[i]] = true;
        }
        List<Sample> keep = new ArrayList<>();
        List<Sample> val = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (toVal[i] ? val : keep).add(train.get(i));
        }
        return new TrainingData(names, keep, val);
    }

    private static Map<String, Object> parseObject(String line, String source, int lineNo) {
        Object value;
        try {
            value = JsonLiteral.parse(line);
        } catch (MetadataFormatException e) {
            throw DatasetFormatException.at(source, lineNo, "not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?>)) {
            throw DatasetFormatException.at(source, lineNo, "expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private static List<String> classNames(Map<String, Object> header, String source, int lineNo) {
        if (!(header.get("class_names") instanceof Map<?, ?> classNames) || classNames.isEmpty()) {
            throw DatasetFormatException.at(source, lineNo, "the header has no 'class_names' object");
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<?, ?> e : classNames.entrySet()) {
            try {
                byId.put(Integer.parseInt(String.valueOf(e.getKey())), String.valueOf(e.getValue()));
            } catch (NumberFormatException ex) {
                throw DatasetFormatException.at(source, lineNo, "class id '" + e.getKey() + "' is not an integer");
            }
        }
        if (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1) {
            throw DatasetFormatException.at(source, lineNo, "class_names must number the classes 0..n-1, got "
                    + byId.keySet());
        }
        return List.copyOf(byId.values());
    }

    /** One image line, or null for an image of the ignored {@code test} split. */
    private static ImageLine imageLine(Map<String, Object> json, String source, int lineNo, URI base, int classCount) {
        if (!"image".equals(json.get("type"))) {
            throw DatasetFormatException.at(source, lineNo, "expected an image line ({\"type\":\"image\", ...})");
        }
        if (!(json.get("split") instanceof String split)) {
            throw DatasetFormatException.at(source, lineNo, "the image has no 'split'");
        }
        if (split.equals("test")) {
            return null;
        }
        if (!split.equals("train") && !split.equals("val")) {
            throw DatasetFormatException.at(source, lineNo, "unknown split '" + split + "' (train, val or test)");
        }
        if (!(json.get("file") instanceof String file) || file.isBlank()) {
            throw DatasetFormatException.at(source, lineNo, "the image has no 'file' name");
        }
        URI url;
        try {
            url = json.get("url") instanceof String u && !u.isBlank() ? base.resolve(u) : base.resolve(file);
        } catch (IllegalArgumentException e) {
            throw DatasetFormatException.at(source, lineNo, "bad image url: " + e.getMessage());
        }
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) && !"file".equals(scheme)) {
            throw DatasetFormatException.at(source, lineNo, "unsupported image url scheme: " + scheme);
        }
        return new ImageLine(lineNo, split, file, url, boxes(json, source, lineNo, classCount));
    }

    private static float[] boxes(Map<String, Object> json, String source, int lineNo, int classCount) {
        Object annotations = json.get("annotations");
        if (annotations == null) {
            return new float[0];
        }
        if (!(annotations instanceof Map<?, ?> map)) {
            throw DatasetFormatException.at(source, lineNo, "'annotations' must be an object");
        }
        Object boxes = map.get("boxes");
        if (boxes == null) {
            return new float[0];
        }
        if (!(boxes instanceof List<?> list)) {
            throw DatasetFormatException.at(source, lineNo, "'annotations.boxes' must be a list of [cls, cx, cy, w, h]");
        }
        float[] out = new float[list.size() * Sample.FIELDS_PER_BOX];
        for (int b = 0; b < list.size(); b++) {
            if (!(list.get(b) instanceof List<?> box) || box.size() != Sample.FIELDS_PER_BOX) {
                throw DatasetFormatException.at(source, lineNo, "box " + b + " is not [cls, cx, cy, w, h]: " + list.get(b));
            }
            for (int k = 0; k < Sample.FIELDS_PER_BOX; k++) {
                if (!(box.get(k) instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                    throw DatasetFormatException.at(source, lineNo, "box " + b + " has a non-number: " + box);
                }
                out[b * Sample.FIELDS_PER_BOX + k] = number.floatValue();
            }
            float cls = out[b * Sample.FIELDS_PER_BOX];
            if (cls != Math.rint(cls) || cls < 0 || cls >= classCount) {
                throw DatasetFormatException.at(source, lineNo, "box " + b + " has class " + box.get(0) + ", not one of the "
                        + classCount + " classes");
            }
            for (int k = 1; k < Sample.FIELDS_PER_BOX; k++) {
                float v = out[b * Sample.FIELDS_PER_BOX + k];
                if (v < -1e-3f || v > 1 + 1e-3f) {
                    throw DatasetFormatException.at(source, lineNo, "box " + b + " is not normalised to 0..1: " + box);
                }
            }
        }
        return out;
    }

    /** The file name's last path segment with anything outside a safe set replaced, so a name cannot escape the cache. */
    static String safeFileName(String file) {
        String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.chars().allMatch(c -> c == '.')) {
            safe = "image_" + Integer.toHexString(file.hashCode());
        }
        return safe;
    }
}
