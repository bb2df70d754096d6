package io.visionplatform.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The shared defaults ({@code META-INF/microprofile-config.properties}) resolve the mapping without a bucket, so
 * services that store nothing start; Quarkus validates every mapping at startup the same way.
 */
class StorageConfigTest {

    @Test
    void theSharedDefaultsNeedNoBucket() {
        StorageConfig config = config(Map.of());

        assertThat(config.endpoint()).isEqualTo(URI.create(env("PLATFORM_S3_ENDPOINT", "http://127.0.0.1:9000")));
        assertThat(config.region()).isEqualTo(env("PLATFORM_S3_REGION", "us-east-1"));
        assertThat(config.accessKey()).isEqualTo(env("PLATFORM_S3_ACCESS_KEY", "platform"));
        assertThat(config.secretKey()).isEqualTo(env("PLATFORM_S3_SECRET_KEY", "platform-local-key"));
        assertThat(config.bucket()).isEmpty();
        assertThat(config.pathStyle()).isTrue();
        assertThat(config.publicEndpoint()).isEqualTo(
                java.util.Optional.ofNullable(System.getenv("PLATFORM_S3_PUBLIC_ENDPOINT"))
                        .filter(value -> !value.isBlank())
                        .map(URI::create));
        assertThat(config.presignTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.presignMaxTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.multipartPartSizeMib()).isEqualTo(8);
    }

    @Test
    void aServiceNamesItsBucketAndThePublicHost() {
        StorageConfig config = config(Map.of(
                "platform.storage.bucket", "platform-models",
                "platform.storage.public-endpoint", "https://files.example.test"));

        assertThat(config.bucket()).hasValue("platform-models");
        assertThat(config.publicEndpoint()).hasValue(URI.create("https://files.example.test"));
    }

    private static StorageConfig config(Map<String, String> service) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(service, "service", 500))
                .withMapping(StorageConfig.class)
                .build();
        return config.getConfigMapping(StorageConfig.class);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
