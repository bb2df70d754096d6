package io.visionplatform.dataset.ingest;

/**
 * Caps that keep one upload from exhausting the service.
 *
 * @param maxEntries entries an archive may hold
 * @param maxTotalBytes uncompressed bytes of all entries together
 * @param maxImageBytes bytes of one image (or label/annotation file)
 * @param maxCompressionRatio uncompressed / compressed size of the archive (and of any one large entry)
 * @param maxImagePixels width × height of one image
 * @param thumbnailSize the longer side of a thumbnail, in pixels
 */
public record IngestLimits(int maxEntries, long maxTotalBytes, long maxImageBytes, int maxCompressionRatio,
        long maxImagePixels, int thumbnailSize) {

    public static IngestLimits defaults() {
        return new IngestLimits(200_000, 50L << 30, 64L << 20, 100, 100_000_000L, 256);
    }
}
