package io.visionplatform.bench;

import java.nio.file.Path;

/** The options of the benchmarks that call the running platform: where it is, the API key, what is left behind. */
abstract class PlatformOptions extends BenchOptions {

    String gateway = "http://127.0.0.1:" + envOr("PLATFORM_GATEWAY_PORT", "8080");
    String key;
    Path root;
    boolean keep;
    boolean emptyTrashAnyway;
    boolean localOnly;

    @Override
    boolean flag(String arg) {
        switch (arg) {
            case "--keep" -> keep = true;
            case "--empty-trash-anyway" -> emptyTrashAnyway = true;
            case "--local-only" -> localOnly = true;
            default -> {
                return super.flag(arg);
            }
        }
        return true;
    }

    @Override
    void option(String name, String value) {
        switch (name) {
            case "--gateway" -> gateway = value.replaceAll("/+$", "");
            case "--key" -> key = value.isBlank() ? null : value.strip();
            case "--root" -> root = Path.of(value);
            default -> super.option(name, value);
        }
    }

    @Override
    void check() {
        if (!gateway.startsWith("http://") && !gateway.startsWith("https://")) {
            throw new IllegalArgumentException("--gateway needs an http:// or https:// URL, got " + gateway);
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
