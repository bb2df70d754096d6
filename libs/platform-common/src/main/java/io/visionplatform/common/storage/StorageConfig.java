package io.visionplatform.common.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the service's objects live: an S3-compatible store (s3proxy locally) and the one bucket the service owns.
 * The address and credentials default to the local stack's ({@code PLATFORM_S3_*}, see the shared
 * {@code microprofile-config.properties}); each service that stores objects sets {@code platform.storage.bucket}.
 */
@ConfigMapping(prefix = "platform.storage")
public interface StorageConfig {

    /** The S3 API endpoint the service talks to, e.g. {@code http://127.0.0.1:9000}. */
    URI endpoint();

    /** The region requests are signed for. */
    String region();

    String accessKey();

    String secretKey();

    /**
     * The service's own bucket. Optional so that services which store nothing still start; {@link StorageClient}
     * refuses to work without it, on first use.
     */
    Optional<String> bucket();

    /** Path-style addressing ({@code endpoint/bucket/key}); s3proxy and most self-hosted stores need it. */
    @WithDefault("true")
    boolean pathStyle();

    /**
     * The endpoint clients reach the store at, when it differs from {@link #endpoint()} (e.g. behind an ingress).
     * Presigned URLs are signed for this host.
     */
    Optional<URI> publicEndpoint();

    /** How long a presigned URL stays valid when the caller does not say. */
    @WithDefault("15m")
    Duration presignTtl();

    /** The longest validity a presigned URL may ask for (SigV4 allows at most 7 days). */
    @WithDefault("P7D")
    Duration presignMaxTtl();

    /**
     * Size of one part, in MiB, when a stream of unknown length is uploaded as a multipart upload; one part is
     * held in memory at a time. S3 needs at least 5.
     */
    @WithDefault("8")
    int multipartPartSizeMib();

    /** Connections the client keeps open to the store at most. */
    @WithDefault("64")
    int maxConnections();

    /** How long opening a connection to the store may take. */
    @WithDefault("5s")
    Duration connectTimeout();
}
