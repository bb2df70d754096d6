package io.visionplatform.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** {@link StorageClient} against the local stack's s3proxy ({@code deploy/stack.sh start}), bucket platform-datasets. */
class StorageClientTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;

    private static StorageClient storage;
    private static String run;
    private static final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void connect() {
        storage = new StorageClient(TestStorageConfig.local());
        run = "storage-test/" + UUID.randomUUID() + "/";
    }

    @AfterAll
    static void cleanUp() {
        try {
            storage.deleteByPrefix(run).await().atMost(WAIT);
        } finally {
            storage.close();
        }
    }

    @Test
    void putThenHeadThenGetRoundTrips() {
        byte[] content = "{\"class\":\"person\"}\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        String key = run + "round-trip/labels.ndjson";

        StoredObject stored = storage.put(key, content, "application/x-ndjson").await().atMost(WAIT);
        Optional<StoredObject> head = storage.head(key).await().atMost(WAIT);
        byte[] read = storage.get(key).await().atMost(WAIT);

        assertThat(stored.key()).isEqualTo(key);
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.etag()).isNotBlank().doesNotContain("\"");
        assertThat(head).hasValueSatisfying(object -> {
            assertThat(object.size()).isEqualTo(content.length);
            assertThat(object.contentType()).isEqualTo("application/x-ndjson");
            assertThat(object.etag()).isEqualTo(stored.etag());
        });
        assertThat(read).isEqualTo(content);
    }

    @Test
    void aMissingKeyHasNoHeadAndCannotBeRead() {
        String key = run + "missing/nothing-here";

        assertThat(storage.head(key).await().atMost(WAIT)).isEmpty();
        assertThatThrownBy(() -> storage.get(key).await().atMost(WAIT))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(key);
        assertThatThrownBy(() -> storage.stream(key).collect().asList().await().atMost(WAIT))
                .isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void aFileUploadsFromDiskAndDownloadsToDisk(@TempDir Path dir) throws IOException {
        byte[] content = randomBytes(3 * MIB + 17, 1);
        Path source = Files.write(dir.resolve("image.jpg"), content);
        Path target = Files.writeString(dir.resolve("replaced.jpg"), "old content is replaced");
        String key = run + "files/" + ContentHash.sha256(source) + ".jpg";

        StoredObject stored = storage.put(key, source, "image/jpeg").await().atMost(WAIT);
        Path downloaded = storage.download(key, target).await().atMost(WAIT);

        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(downloaded).isEqualTo(target);
        assertThat(ContentHash.sha256(target)).isEqualTo(ContentHash.sha256(content));
        assertThat(storage.head(key).await().atMost(WAIT)).map(StoredObject::contentType).hasValue("image/jpeg");
    }

    @Test
    void anObjectStreamsBackInBuffers() {
        byte[] content = randomBytes(5 * MIB + 3, 2);
        String key = run + "stream/blob.bin";
        storage.put(key, content, null).await().atMost(WAIT);

        List<ByteBuffer> buffers = storage.stream(key).collect().asList().await().atMost(WAIT);

        assertThat(concat(buffers)).isEqualTo(content);
        assertThat(storage.head(key).await().atMost(WAIT)).map(StoredObject::contentType)
                .hasValue("application/octet-stream");
    }

    /**
     * 200 MiB streamed from a generator: when 150 MiB have been handed over, the heap (after a full GC) must not
     * have grown by more than 64 MiB, i.e. neither the client nor the SDK collects the body before sending it.
     */
    @Test
    void aLargeStreamOfKnownLengthUploadsWithoutBeingHeldInMemory(@TempDir Path dir) throws IOException {
        int chunk = 256 * 1024;
        int chunks = 200 * MIB / chunk;
        int checkpoint = 150 * MIB / chunk;
        MessageDigest sent = ContentHash.newDigest();
        AtomicReference<Long> growthAtCheckpoint = new AtomicReference<>();
        Random random = new Random(42);
        long baseline = usedHeapAfterGc();
        Multi<ByteBuffer> body = Multi.createFrom()
                .range(0, chunks)
                .map(index -> {
                    if (index == checkpoint) {
                        growthAtCheckpoint.set(usedHeapAfterGc() - baseline);
                    }
                    byte[] bytes = new byte[chunk];
                    random.nextBytes(bytes);
                    sent.update(bytes);
                    return ByteBuffer.wrap(bytes);
                });
        String key = run + "large/weights.pt";

        long started = System.nanoTime();
        StoredObject stored = storage.putStream(key, body, (long) chunks * chunk, "application/octet-stream")
                .await().atMost(Duration.ofMinutes(5));
        long uploadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Path downloaded = storage.download(key, dir.resolve("weights.pt")).await().atMost(Duration.ofMinutes(5));

        System.out.printf("200 MiB streamed in %d ms; heap growth at 150 MiB: %d MiB%n", uploadMillis,
                growthAtCheckpoint.get() / MIB);
        assertThat(growthAtCheckpoint.get()).isNotNull().isLessThan(64L * MIB);
        assertThat(stored.size()).isEqualTo(200L * MIB);
        assertThat(storage.head(key).await().atMost(WAIT)).map(StoredObject::size).hasValue(200L * MIB);
        assertThat(Files.size(downloaded)).isEqualTo(200L * MIB);
        assertThat(ContentHash.sha256(downloaded)).isEqualTo(ContentHash.hex(sent));
    }

    @Test
    void aStreamOfUnknownLengthUploadsInParts() {
        byte[] content = randomBytes(2 * 8 * MIB + 5 * MIB + 123, 3);
        int piece = 777_777;
        Multi<ByteBuffer> body = Multi.createFrom()
                .range(0, (content.length + piece - 1) / piece)
                .map(index -> ByteBuffer.wrap(content, index * piece,
                        Math.min(piece, content.length - index * piece)));
        String key = run + "multipart/export.zip";

        StoredObject stored = storage.putStream(key, body, "application/zip").await().atMost(WAIT);

        assertThat(stored.size()).isEqualTo(content.length);
        // A multipart ETag names its part count: three parts of at most 8 MiB.
        assertThat(stored.etag()).endsWith("-3");
        assertThat(storage.head(key).await().atMost(WAIT)).hasValueSatisfying(object -> {
            assertThat(object.size()).isEqualTo(content.length);
            assertThat(object.contentType()).isEqualTo("application/zip");
        });
        assertThat(ContentHash.sha256(storage.get(key).await().atMost(WAIT))).isEqualTo(ContentHash.sha256(content));
    }

    @Test
    void anEmptyStreamOfUnknownLengthBecomesAnEmptyObject() {
        String key = run + "multipart/empty.ndjson";

        StoredObject stored = storage.putStream(key, Multi.createFrom().<ByteBuffer> empty(), "application/x-ndjson")
                .await().atMost(WAIT);

        assertThat(stored.size()).isZero();
        assertThat(storage.head(key).await().atMost(WAIT)).map(StoredObject::size).hasValue(0L);
    }

    @Test
    void aFailingStreamAbortsItsUploadAndStoresNothing() {
        String key = run + "multipart/broken.bin";
        Multi<ByteBuffer> body = Multi.createFrom()
                .items(ByteBuffer.wrap(randomBytes(9 * MIB, 4)))
                .onCompletion()
                .failWith(() -> new IOException("client went away"));

        assertThatThrownBy(() -> storage.putStream(key, body, null).await().atMost(WAIT))
                .hasMessageContaining("client went away");
        assertThat(storage.head(key).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void aPresignedGetDownloadsWithoutCredentials() throws Exception {
        byte[] content = randomBytes(100_000, 5);
        String key = run + "presigned/get.bin";
        storage.put(key, content, "image/png").await().atMost(WAIT);

        URI url = storage.presignGet(key, Duration.ofMinutes(5));
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(url.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
        assertThat(url.getPath()).isEqualTo("/platform-datasets/" + key);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void aPresignedGetCanNameTheDownloadedFile() throws Exception {
        String key = run + "presigned/named.bin";
        storage.put(key, new byte[] { 1, 2, 3 }, null).await().atMost(WAIT);

        URI url = storage.presignGet(key, Duration.ofMinutes(5), "best weights.pt");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsExactly(1, 2, 3);
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(value -> assertThat(value).contains("attachment").contains("best weights.pt"));
    }

    @Test
    void aTamperedPresignedGetIsRefused() throws Exception {
        String key = run + "presigned/tampered.bin";
        storage.put(key, new byte[] { 9 }, null).await().atMost(WAIT);
        String url = storage.presignGet(key, Duration.ofMinutes(5)).toString();
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(at) == '0' ? '1' : '0';
        URI tampered = URI.create(url.substring(0, at) + flipped + url.substring(at + 1));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tampered).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredPresignedGetIsRefused() throws Exception {
        String key = run + "presigned/expired.bin";
        storage.put(key, new byte[] { 7 }, null).await().atMost(WAIT);
        URI url = storage.presignGet(key, Duration.ofSeconds(1));

        Thread.sleep(2_000);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void aPresignedPutUploadsWithPlainHttp() throws Exception {
        byte[] content = randomBytes(250_000, 6);
        String key = run + "presigned/put.jpg";
        URI url = storage.presignPut(key, Duration.ofMinutes(5), "image/jpeg");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                .header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(storage.head(key).await().atMost(WAIT)).hasValueSatisfying(object -> {
            assertThat(object.size()).isEqualTo(content.length);
            assertThat(object.contentType()).isEqualTo("image/jpeg");
        });
        assertThat(storage.get(key).await().atMost(WAIT)).isEqualTo(content);
    }

    @Test
    void presignedUrlsNameThePublicEndpointWhenOneIsSet() {
        StorageClient published = new StorageClient(
                TestStorageConfig.local().withPublicEndpoint(URI.create("https://files.example.test")));
        try {
            URI get = published.presignGet(run + "public/a.bin", Duration.ofMinutes(1));
            URI put = published.presignPut(run + "public/a.bin", Duration.ofMinutes(1), "image/png");

            assertThat(List.of(get, put)).allSatisfy(url -> {
                assertThat(url.getScheme()).isEqualTo("https");
                assertThat(url.getHost()).isEqualTo("files.example.test");
                assertThat(url.getPath()).isEqualTo("/platform-datasets/" + run + "public/a.bin");
            });
        } finally {
            published.close();
        }
    }

    @Test
    void presignedUrlsNeedAValidityWithinTheLimit() {
        assertThatThrownBy(() -> storage.presignGet(run + "x", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.presignGet(run + "x", Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesOneObjectAndDeleteByPrefixRemovesEveryObjectUnderIt() {
        String dataset = run + "delete/dataset_a/";
        String other = run + "delete/dataset_b/keep.jpg";
        for (int i = 0; i < 5; i++) {
            storage.put(dataset + "images/" + i + ".jpg", new byte[] { (byte) i }, "image/jpeg").await().atMost(WAIT);
        }
        storage.put(other, new byte[] { 1 }, "image/jpeg").await().atMost(WAIT);

        storage.delete(dataset + "images/0.jpg").await().atMost(WAIT);
        Integer deleted = storage.deleteByPrefix(dataset).await().atMost(WAIT);

        assertThat(deleted).isEqualTo(4);
        for (int i = 0; i < 5; i++) {
            assertThat(storage.head(dataset + "images/" + i + ".jpg").await().atMost(WAIT)).isEmpty();
        }
        assertThat(storage.head(other).await().atMost(WAIT)).isPresent();
        assertThat(storage.deleteByPrefix(dataset).await().atMost(WAIT)).isZero();
        storage.delete(other).await().atMost(WAIT);
        assertThat(storage.head(other).await().atMost(WAIT)).isEmpty();
        assertThatThrownBy(() -> storage.deleteByPrefix("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultsArriveOnTheVertxContextTheCallWasMadeOn() throws Exception {
        String key = run + "context/a.txt";
        storage.put(key, new byte[] { 1 }, "text/plain").await().atMost(WAIT);
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
            context.runOnContext(ignored -> storage.head(key)
                    .subscribe()
                    .with(head -> sameContext.complete(Vertx.currentContext() == context),
                            sameContext::completeExceptionally));

            assertThat(sameContext.get(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(List<ByteBuffer> buffers) {
        int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        buffers.forEach(all::put);
        return all.array();
    }
}
