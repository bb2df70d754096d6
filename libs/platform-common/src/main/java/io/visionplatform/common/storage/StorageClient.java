package io.visionplatform.common.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Subscriber;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.FileTransformerConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The service's object store: its one bucket in an S3-compatible store (s3proxy locally), over the AWS SDK's
 * asynchronous client. Uploads and downloads stream; only {@link #put(String, byte[], String)} and
 * {@link #get(String)} hold a whole object in memory, and are meant for small ones.
 * <p>
 * Application scoped, so it is built on first use: services that store nothing never need
 * {@code platform.storage.bucket}, and a service that does learns it is missing on the first call.
 * <p>
 * Threads: the SDK completes its futures on its own threads. A {@code Uni} or {@code Multi} subscribed on a Vert.x
 * context (a request handler, a reactive route, Hibernate Reactive) emits back on that context, so callers can
 * continue with context-bound APIs; subscribed elsewhere, it emits on an SDK thread, which must not be blocked for
 * long either.
 */
@ApplicationScoped
public class StorageClient {

    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int MIB = 1024 * 1024;
    private static final int MIN_PART_SIZE_MIB = 5;
    private static final int MAX_KEY_LENGTH = 1024;
    private static final int DELETE_CONCURRENCY = 16;

    private final StorageConfig config;
    private final String bucket;
    private final int partSize;
    private final S3AsyncClient s3;
    private final S3Presigner presigner;

    @Inject
    public StorageClient(StorageConfig config) {
        this.config = config;
        this.bucket = config.bucket()
                .filter(name -> !name.isBlank())
                .orElseThrow(() -> new IllegalStateException(
                        "platform.storage.bucket is not set: a service that stores objects names its own bucket"));
        if (config.multipartPartSizeMib() < MIN_PART_SIZE_MIB) {
            throw new IllegalStateException("platform.storage.multipart-part-size-mib must be at least "
                    + MIN_PART_SIZE_MIB + " (S3's smallest part)");
        }
        this.partSize = config.multipartPartSizeMib() * MIB;
        StaticCredentialsProvider credentials = StaticCredentialsProvider
                .create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        Region region = Region.of(config.region());
        // Checksums only where S3 requires them: s3proxy rejects the SDK's default CRC32 checksums (400 on PUT).
        this.s3 = S3AsyncClient.builder()
                .endpointOverride(config.endpoint())
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(config.maxConnections())
                        .connectionTimeout(config.connectTimeout()))
                .build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(config.publicEndpoint().orElse(config.endpoint()))
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.pathStyle())
                        .build())
                .build();
    }

    /** The bucket every call of this client works in. */
    public String bucket() {
        return bucket;
    }

    /** Uploads a file, streaming it from disk. */
    public Uni<StoredObject> put(String key, Path file, String contentType) {
        requireKey(key);
        String type = contentTypeOrDefault(contentType);
        return onCallerContext(Uni.createFrom().deferred(() -> {
            AsyncRequestBody body = AsyncRequestBody.fromFile(file);
            long size = body.contentLength().orElseThrow();
            return putObject(key, body, size, type);
        }));
    }

    /** Uploads a small object held in memory. */
    public Uni<StoredObject> put(String key, byte[] bytes, String contentType) {
        requireKey(key);
        String type = contentTypeOrDefault(contentType);
        return onCallerContext(Uni.createFrom()
                .deferred(() -> putObject(key, AsyncRequestBody.fromBytes(bytes), bytes.length, type)));
    }

    /**
     * Uploads a stream of known length in one request, passing buffers on as the store takes them (a
     * {@link Multi} is a {@link Flow.Publisher}). The stream must deliver exactly {@code contentLength} bytes.
     */
    public Uni<StoredObject> putStream(String key, Flow.Publisher<ByteBuffer> body, long contentLength,
            String contentType) {
        requireKey(key);
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength must not be negative: " + contentLength);
        }
        String type = contentTypeOrDefault(contentType);
        return onCallerContext(Uni.createFrom()
                .deferred(() -> putObject(key, new KnownLengthBody(body, contentLength, type), contentLength, type)));
    }

    /**
     * Uploads a stream of unknown length as a multipart upload: the stream is cut into parts of
     * {@code platform.storage.multipart-part-size-mib}, one part buffered and uploaded at a time. A failed upload
     * is aborted, so no parts are left behind.
     */
    public Uni<StoredObject> putStream(String key, Flow.Publisher<ByteBuffer> body, String contentType) {
        requireKey(key);
        String type = contentTypeOrDefault(contentType);
        return onCallerContext(Uni.createFrom().deferred(() -> sdk(() -> s3.createMultipartUpload(request -> request
                .bucket(bucket)
                .key(key)
                .contentType(type))))
                .chain(created -> uploadParts(key, created.uploadId(), body, type)
                        .onFailure()
                        .call(() -> abortMultipart(key, created.uploadId()))));
    }

    /** The object's metadata, or empty when there is none at {@code key}. */
    public Uni<Optional<StoredObject>> head(String key) {
        requireKey(key);
        return onCallerContext(sdk(() -> s3.headObject(request -> request.bucket(bucket).key(key)))
                .map(response -> Optional.of(new StoredObject(key, response.contentLength(),
                        unquote(response.eTag()), response.contentType())))
                .onFailure(StorageClient::isNotFound)
                .recoverWithItem(Optional.empty()));
    }

    /** The whole object in memory; for small objects. Fails with {@link ObjectNotFoundException}. */
    public Uni<byte[]> get(String key) {
        requireKey(key);
        return onCallerContext(sdk(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                AsyncResponseTransformer.toBytes()))
                .map(bytes -> bytes.asByteArrayUnsafe())
                .onFailure(StorageClient::isNotFound)
                .transform(failure -> new ObjectNotFoundException(key, rootCause(failure))));
    }

    /**
     * The object's content as it arrives, e.g. to pass on to an HTTP response. Fails with
     * {@link ObjectNotFoundException}.
     */
    public Multi<ByteBuffer> stream(String key) {
        requireKey(key);
        Multi<ByteBuffer> content = sdk(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                AsyncResponseTransformer.<GetObjectResponse> toPublisher()))
                .onFailure(StorageClient::isNotFound)
                .transform(failure -> new ObjectNotFoundException(key, rootCause(failure)))
                .onItem()
                .transformToMulti(publisher -> Multi.createFrom().publisher(FlowAdapters.toFlowPublisher(publisher)));
        return Multi.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? content : content.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    /**
     * Writes the object to {@code target} (replaced if present; removed again if the download fails) without
     * holding it in memory. Fails with {@link ObjectNotFoundException}.
     */
    public Uni<Path> download(String key, Path target) {
        requireKey(key);
        return onCallerContext(sdk(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                AsyncResponseTransformer.toFile(target, FileTransformerConfiguration.defaultCreateOrReplaceExisting())))
                .map(response -> target)
                .onFailure(StorageClient::isNotFound)
                .transform(failure -> new ObjectNotFoundException(key, rootCause(failure))));
    }

    /** Deletes the object; deleting a key that holds nothing succeeds. */
    public Uni<Void> delete(String key) {
        requireKey(key);
        return onCallerContext(deleteObject(key));
    }

    /**
     * Deletes every object whose key starts with {@code prefix} and answers how many were deleted. An empty prefix
     * is refused: it would empty the bucket.
     * <p>
     * Keys are deleted one request each, {@value #DELETE_CONCURRENCY} at a time: the batch DeleteObjects call needs
     * a request checksum, which the SDK sends as {@code x-amz-checksum-crc32}, and s3proxy refuses that (501).
     */
    public Uni<Integer> deleteByPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("deleteByPrefix needs a non-empty prefix");
        }
        return onCallerContext(Multi.createFrom()
                .deferred(() -> Multi.createFrom().publisher(FlowAdapters.toFlowPublisher(
                        s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents())))
                .onItem()
                .transformToUni(object -> deleteObject(object.key()).replaceWith(1))
                .merge(DELETE_CONCURRENCY)
                .collect()
                .with(Collectors.summingInt(Integer::intValue)));
    }

    /** A presigned GET valid for the configured default time ({@code platform.storage.presign-ttl}). */
    public URI presignGet(String key) {
        return presignGet(key, config.presignTtl());
    }

    /** A URL anyone may GET the object with, without credentials, until {@code ttl} has passed. */
    public URI presignGet(String key, Duration ttl) {
        return presignGet(key, ttl, null);
    }

    /**
     * As {@link #presignGet(String, Duration)}, and the response carries
     * {@code Content-Disposition: attachment} with {@code downloadFileName}, so browsers save it under that name.
     */
    public URI presignGet(String key, Duration ttl, String downloadFileName) {
        requireKey(key);
        Duration validity = requireTtl(ttl);
        return toUri(presigner.presignGetObject(presign -> presign
                .signatureDuration(validity)
                .getObjectRequest(request -> {
                    request.bucket(bucket).key(key);
                    if (downloadFileName != null && !downloadFileName.isBlank()) {
                        request.responseContentDisposition(attachment(downloadFileName));
                    }
                }))
                .url());
    }

    /**
     * A URL anyone may PUT the object to, without credentials, until {@code ttl} has passed. The upload must send
     * {@code Content-Type: contentType}: the type is part of the signature.
     */
    public URI presignPut(String key, Duration ttl, String contentType) {
        requireKey(key);
        Duration validity = requireTtl(ttl);
        String type = contentTypeOrDefault(contentType);
        return toUri(presigner.presignPutObject(presign -> presign
                .signatureDuration(validity)
                .putObjectRequest(request -> request.bucket(bucket).key(key).contentType(type)))
                .url());
    }

    @PreDestroy
    void close() {
        presigner.close();
        s3.close();
    }

    private Uni<StoredObject> putObject(String key, AsyncRequestBody body, long size, String type) {
        return sdk(() -> s3.putObject(request -> request
                .bucket(bucket)
                .key(key)
                .contentType(type)
                .contentLength(size), body))
                .map(response -> new StoredObject(key, size, unquote(response.eTag()), type));
    }

    private Uni<StoredObject> uploadParts(String key, String uploadId, Flow.Publisher<ByteBuffer> body,
            String type) {
        PartSplitter splitter = new PartSplitter(partSize);
        return Multi.createFrom()
                .publisher(body)
                .onItem()
                .transformToIterable(splitter::add)
                .onCompletion()
                .continueWith(splitter::rest)
                .onItem()
                .transformToUniAndConcatenate(part -> uploadPart(key, uploadId, part))
                .collect()
                .asList()
                .chain(parts -> sdk(() -> s3.completeMultipartUpload(request -> request
                        .bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(upload -> upload.parts(parts)))))
                .map(response -> new StoredObject(key, splitter.total(), unquote(response.eTag()), type));
    }

    private Uni<Void> deleteObject(String key) {
        return sdk(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)))
                .replaceWithVoid();
    }

    private Uni<CompletedPart> uploadPart(String key, String uploadId, Part part) {
        return sdk(() -> s3.uploadPart(request -> request
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .partNumber(part.number())
                .contentLength((long) part.data().remaining()),
                AsyncRequestBody.fromByteBufferUnsafe(part.data())))
                .map(response -> CompletedPart.builder()
                        .partNumber(part.number())
                        .eTag(response.eTag())
                        .build());
    }

    private Uni<Void> abortMultipart(String key, String uploadId) {
        return sdk(() -> s3.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    /** Starts the SDK call on subscription (not when the pipeline is assembled), once per subscription. */
    private static <T> Uni<T> sdk(Supplier<CompletableFuture<T>> call) {
        return Uni.createFrom().completionStage(call);
    }

    /** Emits on the Vert.x context the caller subscribed on, if any, instead of on an SDK thread. */
    private static <T> Uni<T> onCallerContext(Uni<T> uni) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    private static boolean isNotFound(Throwable failure) {
        Throwable cause = rootCause(failure);
        return cause instanceof NoSuchKeyException
                || cause instanceof S3Exception s3Failure && s3Failure.statusCode() == 404;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Duration requireTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a presigned URL needs a positive validity, got " + ttl);
        }
        if (ttl.compareTo(config.presignMaxTtl()) > 0) {
            throw new IllegalArgumentException(
                    "a presigned URL may be valid for at most " + config.presignMaxTtl() + ", asked " + ttl);
        }
        return ttl;
    }

    private static void requireKey(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("an object key is 1 to " + MAX_KEY_LENGTH + " characters: " + key);
        }
    }

    private static String contentTypeOrDefault(String contentType) {
        return contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }

    /** RFC 6266: a plain ASCII fallback name plus the exact name in RFC 5987 encoding. */
    static String attachment(String fileName) {
        String fallback = fileName.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }

    private static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL: " + url, e);
        }
    }

    /** A stream of known length, handed to the SDK as it is read. */
    private record KnownLengthBody(Flow.Publisher<ByteBuffer> publisher, long length, String type)
            implements
                AsyncRequestBody {

        @Override
        public Optional<Long> contentLength() {
            return Optional.of(length);
        }

        @Override
        public String contentType() {
            return type;
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            FlowAdapters.toPublisher(publisher).subscribe(subscriber);
        }
    }

    /** One numbered part of a multipart upload. */
    private record Part(int number, ByteBuffer data) {
    }

    /** Cuts a stream of buffers into parts of one size (the last may be shorter), filling one part at a time. */
    private static final class PartSplitter {

        private final int partSize;
        private byte[] current;
        private int filled;
        private int parts;
        private long total;

        PartSplitter(int partSize) {
            this.partSize = partSize;
        }

        List<Part> add(ByteBuffer buffer) {
            List<Part> full = new ArrayList<>(1);
            while (buffer.hasRemaining()) {
                if (current == null) {
                    current = new byte[partSize];
                    filled = 0;
                }
                int n = Math.min(buffer.remaining(), partSize - filled);
                buffer.get(current, filled, n);
                filled += n;
                total += n;
                if (filled == partSize) {
                    full.add(new Part(++parts, ByteBuffer.wrap(current)));
                    current = null;
                }
            }
            return full;
        }

        /** The last, partial part; an empty stream still becomes one (empty) part. */
        List<Part> rest() {
            if (current != null || parts == 0) {
                ByteBuffer last = current == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(current, 0, filled);
                current = null;
                return List.of(new Part(++parts, last));
            }
            return List.of();
        }

        long total() {
            return total;
        }
    }
}
