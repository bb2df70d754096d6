package io.visionplatform.vision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.vision.pt.Checkpoint;

/**
 * The Ultralytics reference fixtures ({@code <repo>/../shared/fixtures/ultralytics}). Found through the
 * {@code fixtures.dir} system property, the {@code PLATFORM_FIXTURES_DIR} variable, or by walking up from the working
 * directory to the repository root (the folder holding the {@code platform} script). Missing fixtures fail the tests
 * rather than skip them: a parity suite that silently skips proves nothing.
 */
public final class Fixtures {

    public static final List<String> MODELS = List.of("yolov8n-shapes4", "yolo11n-shapes4", "yolo26n-shapes4");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, JsonNode> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Checkpoint> CHECKPOINTS = new ConcurrentHashMap<>();
    private static volatile Path dir;

    private Fixtures() {
    }

    public static Path dir() {
        Path d = dir;
        if (d == null) {
            d = resolve();
            dir = d;
        }
        return d;
    }

    private static Path resolve() {
        List<String> tried = new ArrayList<>();
        String property = System.getProperty("fixtures.dir");
        if (property != null && !property.isBlank()) {
            return requireFixtures(Path.of(property), "system property fixtures.dir");
        }
        String env = System.getenv("PLATFORM_FIXTURES_DIR");
        if (env != null && !env.isBlank()) {
            return requireFixtures(Path.of(env), "environment PLATFORM_FIXTURES_DIR");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("platform")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                for (String relative : List.of("../shared/fixtures/ultralytics", "shared/fixtures/ultralytics")) {
                    Path candidate = p.resolve(relative).normalize();
                    tried.add(candidate.toString());
                    if (Files.isDirectory(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        // A clone made outside the workspace (a CI rehearsal in /tmp) still finds the workspace's shared folder.
        Path workspace = Path.of("/work/shared/fixtures/ultralytics");
        tried.add(workspace.toString());
        if (Files.isDirectory(workspace)) {
            return workspace;
        }
        throw new IllegalStateException("Ultralytics fixtures not found (tried " + tried + " from the repository root "
                + "above " + Path.of("").toAbsolutePath() + "); set -Dfixtures.dir or PLATFORM_FIXTURES_DIR");
    }

    private static Path requireFixtures(Path p, String source) {
        if (!Files.isDirectory(p.resolve("images"))) {
            throw new IllegalStateException("Ultralytics fixtures not found at " + p + " (from " + source + ")");
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path image(String name) {
        return dir().resolve("images").resolve(name);
    }

    /** The 12 prediction images, sorted by name. */
    public static List<String> imageNames() {
        try (Stream<Path> files = Files.list(dir().resolve("images"))) {
            List<String> names = files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jpg") || n.endsWith(".png"))
                    .sorted()
                    .toList();
            if (names.size() != 12) {
                throw new IllegalStateException("expected 12 fixture images, found " + names);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path modelFile(String model, String file) {
        Path p = dir().resolve(model).resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture file missing: " + p);
        }
        return p;
    }

    public static JsonNode json(String model, String file) {
        return CACHE.computeIfAbsent(modelFile(model, file), p -> {
            try {
                return JSON.readTree(p.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The model's {@code best.pt}, read once per test run (read-only, so shared). */
    public static Checkpoint checkpoint(String model) {
        return CHECKPOINTS.computeIfAbsent(model, m -> {
            try {
                return Checkpoint.read(modelFile(m, "best.pt"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
