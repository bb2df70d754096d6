package io.visionplatform.model.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Model files, the predict worker pool and its cache of loaded models. */
@ConfigMapping(prefix = "platform.models")
public interface ModelsConfig {

    Predict predict();

    /** How long the signed URLs of {@code GET /api/models/{id}/files} and SDK downloads stay valid. */
    @WithDefault("1h")
    Duration downloadUrlTtl();

    /** Bytes of one uploaded model file. */
    @WithDefault("2G")
    MemorySize maxModelSize();

    interface Predict {

        /** Threads that run inference; the event loop never does. */
        @WithDefault("2")
        int threads();

        /** Predictions that may wait for a thread; beyond that the service answers 503 with Retry-After. */
        @WithDefault("32")
        int queue();

        /** Seconds a client is told to wait when the queue is full. */
        @WithDefault("1")
        int retryAfterSeconds();

        /** Loaded models are kept while their files together stay under this size (least recently used go). */
        @WithDefault("1G")
        MemorySize cacheSize();

        /** Bytes of one image to predict on. */
        @WithDefault("20M")
        MemorySize maxImageSize();

        /** Width × height of one image to predict on. */
        @WithDefault("50000000")
        long maxImagePixels();
    }
}
