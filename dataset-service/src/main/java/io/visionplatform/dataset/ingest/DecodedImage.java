package io.visionplatform.dataset.ingest;

/**
 * An image decoded in full.
 *
 * @param format jpeg | png | bmp | gif | webp ...
 * @param contentType its MIME type, e.g. {@code image/jpeg}
 * @param extension the file extension its bytes deserve, without dot ({@code jpg}, {@code png})
 * @param thumbnailJpeg a JPEG of the image scaled to fit the thumbnail size, never upscaled
 */
public record DecodedImage(String format, String contentType, String extension, int width, int height,
        byte[] thumbnailJpeg) {
}
