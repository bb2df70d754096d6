package io.visionplatform.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.dataset.testdata.SyntheticDatasets;

class ImageSourceReaderTest {

    private static final IngestLimits LIMITS = new IngestLimits(1000, 1L << 30, 4096, 100, 1L << 30, 64);

    @TempDir
    Path dir;

    @Test
    void readsZipEntriesLocalFilesAndRemoteUrls() throws IOException {
        byte[] small = SyntheticDatasets.jpeg(20, 10, 1);
        Path zip = SyntheticDatasets.writeZip(dir.resolve("a.zip"), Map.of("images/a.jpg", small));
        Path local = Files.write(dir.resolve("b.jpg"), small);
        List<URI> fetched = new ArrayList<>();
        ImageSourceReader.RemoteFetcher fetcher = url -> {
            fetched.add(url);
            return new ByteArrayInputStream(small);
        };

        try (ImageSourceReader reader = new ImageSourceReader(LIMITS, fetcher)) {
            assertThat(reader.readAll(new ImageSource.ZipEntrySource(zip, "images/a.jpg"))).isEqualTo(small);
            assertThat(reader.readAll(new ImageSource.LocalFileSource(local))).isEqualTo(small);
            URI url = URI.create("https://cdn.example.com/a.jpg");
            assertThat(reader.readAll(new ImageSource.RemoteUrlSource(url))).isEqualTo(small);
            assertThat(fetched).containsExactly(url);
            assertThatThrownBy(() -> reader.readAll(new ImageSource.ZipEntrySource(zip, "images/none.jpg")))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void everySourceIsCutAtMaxImageBytes() throws IOException {
        byte[] big = new byte[4097];
        Path zip = SyntheticDatasets.writeZip(dir.resolve("big.zip"), Map.of("big.jpg", big, "fits.jpg",
                new byte[4096]));
        Path local = Files.write(dir.resolve("big.jpg"), big);
        ImageSourceReader.RemoteFetcher endless = url -> new InputStream() {
            @Override
            public int read() {
                return 7;
            }
        };

        try (ImageSourceReader reader = new ImageSourceReader(LIMITS, endless)) {
            assertThat(reader.readAll(new ImageSource.ZipEntrySource(zip, "fits.jpg"))).hasSize(4096);
            assertThatThrownBy(() -> reader.readAll(new ImageSource.ZipEntrySource(zip, "big.jpg")))
                    .isInstanceOf(IOException.class).hasMessageContaining("maxImageBytes");
            assertThatThrownBy(() -> reader.readAll(new ImageSource.LocalFileSource(local)))
                    .isInstanceOf(IOException.class).hasMessageContaining("maxImageBytes");
            assertThatThrownBy(() -> reader.readAll(
                    new ImageSource.RemoteUrlSource(URI.create("https://cdn.example.com/endless.jpg"))))
                    .isInstanceOf(IOException.class).hasMessageContaining("maxImageBytes");
        }
    }

    @Test
    void readsOneArchiveFromManyThreads() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            entries.put("images/" + i + ".jpg", SyntheticDatasets.jpeg(16 + i % 7, 12, i));
        }
        Path zip = SyntheticDatasets.writeZip(dir.resolve("many.zip"), entries);
        IngestLimits limits = new IngestLimits(1000, 1L << 30, 1L << 20, 100, 1L << 30, 64);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (ImageSourceReader reader = new ImageSourceReader(limits, url -> {
            throw new IOException("no remote reads here");
        })) {
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String name : entries.keySet()) {
                    reads.add(pool.submit(() -> reader.readAll(new ImageSource.ZipEntrySource(zip, name))));
                }
            }
            List<byte[]> expected = new ArrayList<>(entries.values());
            for (int i = 0; i < reads.size(); i++) {
                assertThat(reads.get(i).get()).isEqualTo(expected.get(i % expected.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedReaderReadsNoMore() throws IOException {
        Path zip = SyntheticDatasets.writeZip(dir.resolve("c.zip"), Map.of("a.jpg", new byte[10]));
        ImageSourceReader reader = new ImageSourceReader(LIMITS, url -> InputStream.nullInputStream());
        assertThat(reader.readAll(new ImageSource.ZipEntrySource(zip, "a.jpg"))).hasSize(10);

        reader.close();

        assertThatThrownBy(() -> reader.readAll(new ImageSource.ZipEntrySource(zip, "a.jpg")))
                .isInstanceOf(IOException.class);
    }
}
