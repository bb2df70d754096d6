package io.visionplatform.dataset.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Image formats told apart by their magic bytes; only the supported ones are ingested. */
enum ImageFormat {
    JPEG("jpeg", "image/jpeg", "jpg", true),
    PNG("png", "image/png", "png", true),
    BMP("bmp", "image/bmp", "bmp", true),
    GIF("gif", "image/gif", "gif", true),
    WEBP("webp", "image/webp", "webp", false),
    TIFF("tiff", "image/tiff", "tif", false),
    HEIF("heif", "image/heif", "heic", false),
    AVIF("avif", "image/avif", "avif", false);

    /** Bytes {@link #sniff} needs to recognise every format. */
    static final int MAGIC_LENGTH = 12;

    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    private final String formatName;
    private final String contentType;
    private final String extension;
    private final boolean supported;

    ImageFormat(String formatName, String contentType, String extension, boolean supported) {
        this.formatName = formatName;
        this.contentType = contentType;
        this.extension = extension;
        this.supported = supported;
    }

    /** ImageIO's format name and the one {@link DecodedImage#format()} reports. */
    String formatName() {
        return formatName;
    }

    String contentType() {
        return contentType;
    }

    String extension() {
        return extension;
    }

    boolean supported() {
        return supported;
    }

    /** The format whose signature starts {@code head}, if any. */
    static Optional<ImageFormat> sniff(byte[] head) {
        int n = head.length;
        if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (n >= 8 && Arrays.equals(head, 0, 8, PNG_SIGNATURE, 0, 8)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 0, "GIF87a") || startsWith(head, 0, "GIF89a")) {
            return Optional.of(GIF);
        }
        if (startsWith(head, 0, "BM")) {
            return Optional.of(BMP);
        }
        if (startsWith(head, 0, "RIFF") && startsWith(head, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        if (startsWith(head, 0, "II*\0") || startsWith(head, 0, "MM\0*")) {
            return Optional.of(TIFF);
        }
        if (startsWith(head, 4, "ftyp")) {
            if (startsWith(head, 8, "avif") || startsWith(head, 8, "avis")) {
                return Optional.of(AVIF);
            }
            for (String brand : new String[] { "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1" }) {
                if (startsWith(head, 8, brand)) {
                    return Optional.of(HEIF);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int offset, String ascii) {
        byte[] expected = ascii.getBytes(StandardCharsets.ISO_8859_1);
        return head.length >= offset + expected.length
                && Arrays.equals(head, offset, offset + expected.length, expected, 0, expected.length);
    }
}
