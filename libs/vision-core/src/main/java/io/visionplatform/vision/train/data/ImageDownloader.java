package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fetches dataset images over HTTP the way the Ultralytics SDK does for an NDJSON dataset: several at once, each tried
 * up to 3 times with a growing pause, and the first image that still fails aborts the whole download. A file already
 * in place is reused; new files are written to a temporary name and moved into place, so an interrupted download never
 * leaves a truncated image that a later run would reuse.
 */
final class ImageDownloader {

    /** One image to fetch: where from, where to, and what to call it in an error message. */
    record Download(URI url, Path target, String description) {
    }

    static final int ATTEMPTS = 3;

    private final HttpClient client;
    private final int parallelism;
    private final Duration firstBackoff;

    ImageDownloader(HttpClient client, int parallelism, Duration firstBackoff) {
        this.client = client;
        this.parallelism = Math.max(1, parallelism);
        this.firstBackoff = firstBackoff;
    }

    static ImageDownloader withDefaults() {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ImageDownloader(client, 16, Duration.ofSeconds(1));
    }

    /** Downloads every missing file; throws for the first one that fails after all tries. */
    void downloadAll(List<Download> downloads) throws IOException {
        List<Download> missing = new ArrayList<>();
        for (Download d : downloads) {
            if (!isUsable(d.target())) {
                missing.add(d);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, missing.size()), r -> {
            Thread t = new Thread(r, "dataset-download");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
            List<Future<Void>> futures = new ArrayList<>();
            for (Download d : missing) {
                futures.add(done.submit(() -> {
                    fetch(d);
                    return null;
                }));
            }
            for (int i = 0; i < missing.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("dataset download failed: " + cause, cause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("dataset download interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean isUsable(Path target) throws IOException {
        return Files.isRegularFile(target) && Files.size(target) > 0;
    }

    private void fetch(Download d) throws IOException, InterruptedException {
        Files.createDirectories(d.target().getParent());
        Path partial = d.target().resolveSibling(d.target().getFileName() + ".part-" + Thread.currentThread().getId());
        String lastProblem = null;
        Duration pause = firstBackoff;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(d.url()).timeout(Duration.ofMinutes(2)).GET().build();
                HttpResponse<Path> response = client.send(request, HttpResponse.BodyHandlers.ofFile(partial));
                int status = response.statusCode();
                if (status / 100 == 2 && Files.size(partial) > 0) {
                    Files.move(partial, d.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
                lastProblem = status / 100 == 2 ? "empty response" : "HTTP " + status;
                if (status / 100 == 4 && status != 408 && status != 429) {
                    break; // a client error will not change on retry
                }
            } catch (IOException e) {
                lastProblem = e.toString();
            } finally {
                Files.deleteIfExists(partial);
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2);
            }
        }
        throw new IOException("cannot download " + d.description() + " from " + redact(d.url()) + ": " + lastProblem);
    }

    /** Signed URLs carry credentials in the query string; error messages keep only scheme, host and path. */
    static String redact(URI url) {
        return url.getQuery() == null ? url.toString()
                : url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath()
                        + "?...";
    }
}
