package io.visionplatform.common.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The storage settings of the local stack's s3proxy, for tests that build a {@link StorageClient} directly. */
record TestStorageConfig(
        URI endpoint,
        String region,
        String accessKey,
        String secretKey,
        Optional<String> bucket,
        boolean pathStyle,
        Optional<URI> publicEndpoint,
        Duration presignTtl,
        Duration presignMaxTtl,
        int multipartPartSizeMib,
        int maxConnections,
        Duration connectTimeout) implements StorageConfig {

    static TestStorageConfig local() {
        return new TestStorageConfig(
                URI.create(env("PLATFORM_S3_ENDPOINT", "http://127.0.0.1:9000")),
                env("PLATFORM_S3_REGION", "us-east-1"),
                env("PLATFORM_S3_ACCESS_KEY", "platform"),
                env("PLATFORM_S3_SECRET_KEY", "platform-local-key"),
                Optional.of("platform-datasets"),
                true,
                Optional.empty(),
                Duration.ofMinutes(15),
                Duration.ofDays(7),
                8,
                16,
                Duration.ofSeconds(5));
    }

    TestStorageConfig withBucket(Optional<String> bucket) {
        return new TestStorageConfig(endpoint, region, accessKey, secretKey, bucket, pathStyle, publicEndpoint,
                presignTtl, presignMaxTtl, multipartPartSizeMib, maxConnections, connectTimeout);
    }

    TestStorageConfig withPublicEndpoint(URI publicEndpoint) {
        return new TestStorageConfig(endpoint, region, accessKey, secretKey, bucket, pathStyle,
                Optional.of(publicEndpoint), presignTtl, presignMaxTtl, multipartPartSizeMib, maxConnections,
                connectTimeout);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
