package io.visionplatform.training.executor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The worker JVM's classpath, built from this service's own: in a Quarkus fast-jar ({@code quarkus-run.jar} on the
 * class path) the jars of {@code lib/boot} and {@code lib/main}, which hold vision-core and its natives; otherwise
 * (tests, dev) {@code java.class.path} as it is.
 */
public final class WorkerClasspath {

    private WorkerClasspath() {
    }

    public static String of(String javaClassPath) {
        for (String entry : javaClassPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.getFileName() != null && path.getFileName().toString().equals("quarkus-run.jar")) {
                return fastJar(path.toAbsolutePath().getParent());
            }
        }
        return javaClassPath;
    }

    static String fastJar(Path appRoot) {
        List<String> jars = new ArrayList<>();
        for (String folder : List.of("lib/boot", "lib/main")) {
            Path dir = appRoot.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(file -> file.toString().endsWith(".jar"))
                        .sorted()
                        .forEach(file -> jars.add(file.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.join(File.pathSeparator, jars);
    }
}
