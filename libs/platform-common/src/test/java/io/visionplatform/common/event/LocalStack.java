package io.visionplatform.common.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives the project's local stack script from a test, e.g. to take the Kafka broker away and back. */
final class LocalStack {

    private LocalStack() {
    }

    static void run(String... arguments) {
        Path script = root().resolve("deploy/stack.sh");
        try {
            Path log = Files.createTempFile("stack", ".log");
            Process process = new ProcessBuilder(concat(script.toString(), arguments))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("stack.sh " + String.join(" ", arguments) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("stack.sh " + String.join(" ", arguments) + " failed:\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path root() {
        String configured = System.getProperty("platform.root");
        Path dir = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/stack.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/stack.sh not found above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }
}
