package io.visionplatform.dataset.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.visionplatform.dataset.ingest.IngestLimits;

/** How uploads are ingested and how exports are signed. */
@ConfigMapping(prefix = "platform.datasets")
public interface DatasetsConfig {

    Ingest ingest();

    Export export();

    /** How long the thumbnail and image URLs of an image listing stay valid. */
    @WithDefault("1h")
    Duration listingUrlTtl();

    interface Ingest {

        /** Threads that read, hash, decode and thumbnail images (CPU bound). */
        @WithDefault("4")
        int threads();

        /** Jobs one replica works on at once; jobs of one dataset always run one after another. */
        @WithDefault("2")
        int concurrentJobs();

        /** How long a claimed job stays with its replica without a sign of life before another may resume it. */
        @WithDefault("2m")
        Duration lease();

        /** Where uploads wait on local disk while a job runs; defaults to a folder under java.io.tmpdir. */
        Optional<String> workDir();

        /** Files one upload request may carry. */
        @WithDefault("10000")
        int maxFiles();

        /** Entries one archive may hold. */
        @WithDefault("200000")
        int maxEntries();

        /** Uncompressed bytes of one archive, all entries together. */
        @WithDefault("50G")
        MemorySize maxTotalSize();

        /** Bytes of one image. */
        @WithDefault("64M")
        MemorySize maxImageSize();

        /** Uncompressed / compressed size an archive may reach; zip bombs go far beyond. */
        @WithDefault("100")
        int maxCompressionRatio();

        /** Pixels (width × height) of one image. */
        @WithDefault("100000000")
        long maxImagePixels();

        /** The longer side of a thumbnail, in pixels. */
        @WithDefault("256")
        int thumbnailSize();

        Remote remote();

        default IngestLimits limits() {
            return new IngestLimits(maxEntries(), maxTotalSize().asLongValue(), maxImageSize().asLongValue(),
                    maxCompressionRatio(), maxImagePixels(), thumbnailSize());
        }
    }

    /** Images an NDJSON upload names by URL are fetched by the service: these rules keep that from being abused. */
    interface Remote {

        /**
         * Hosts fetched even though they resolve to loopback or private addresses (the local object store, an
         * on-premises mirror). Public addresses are always allowed.
         */
        Optional<List<String>> trustedHosts();

        @WithDefault("10s")
        Duration connectTimeout();

        @WithDefault("60s")
        Duration readTimeout();
    }

    interface Export {

        /** Validity of the signed image URLs in an NDJSON file and of the file's own URL (SigV4 allows 7 days). */
        @WithDefault("P7D")
        Duration urlTtl();

        /** A rendered NDJSON file younger than this is handed out again instead of being rendered anew. */
        @WithDefault("5m")
        Duration reuseRenderFor();
    }
}
