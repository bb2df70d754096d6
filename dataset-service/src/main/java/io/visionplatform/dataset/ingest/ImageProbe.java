package io.visionplatform.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The scan-time check of one image file: a header read, never a pixel decode. Non-image bytes behind an image name
 * refuse the whole upload; an unsupported, unreadable or oversized image becomes a problem of its own.
 */
final class ImageProbe {

    /** Opens the image's bytes; each probe reads one stream. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private ImageProbe() {
    }

    /**
     * @param path the image's path in the upload, for problems
     * @return the header, or empty with the problem recorded
     * @throws UploadRejectedException the file is not an image at all
     */
    static Optional<ImageHeaderReader.ImageHeader> probe(String path, Opener opener, IngestLimits limits,
            ScanCollector out) throws IOException {
        String extension = UploadPaths.extension(path);
        ImageHeaderReader.ImageHeader header;
        try (InputStream in = opener.open()) {
            header = ImageHeaderReader.read(in);
        } catch (ImageHeaderReader.NotAnImageException e) {
            throw new UploadRejectedException("file is not an image", Map.of("file", path));
        } catch (BadImageException e) {
            out.problem(path, UploadPaths.isSupportedImage(path) ? e.getMessage()
                    : "unsupported image format " + extension);
            return Optional.empty();
        }
        if (!UploadPaths.isSupportedImage(path)) {
            out.problem(path, "unsupported image format " + extension);
            return Optional.empty();
        }
        if (header.pixels() > limits.maxImagePixels()) {
            out.problem(path, "image has " + header.width() + "×" + header.height() + " pixels, more than the limit"
                    + " of " + limits.maxImagePixels());
            return Optional.empty();
        }
        return Optional.of(header);
    }
}
