package io.visionplatform.vision.train;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Fetches the {@code .pt} a run starts from when it is given as a (signed) URL, as the platform passes a model's
 * weights to a managed run: into the cache folder, through a temporary file, redirects followed, 3 tries.
 */
final class WeightsDownload {

    private static final int TRIES = 3;

    private WeightsDownload() {
    }

    static Path fetch(String url, Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve("initial-weights.pt");
        Path partial = cacheDir.resolve("initial-weights.pt.part");
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        IOException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(partial));
                if (response.statusCode() / 100 != 2) {
                    // the query string of a signed URL is a credential: keep it out of the message
                    throw new IOException("downloading the initial weights failed with HTTP " + response.statusCode()
                            + " (" + URI.create(url).getPath() + ")");
                }
                return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading the initial weights", e);
            }
        }
        Files.deleteIfExists(partial);
        throw last;
    }
}
