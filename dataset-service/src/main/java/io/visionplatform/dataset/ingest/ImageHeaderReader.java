package io.visionplatform.dataset.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads an image's format and size from its header only; the reader pulls just the bytes it needs from the stream, so
 * no pixels are decoded and a large image costs a few KiB of reading.
 */
final class ImageHeaderReader {

    /** What a header told. */
    record ImageHeader(ImageFormat format, int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /** The bytes match no image format at all: a non-image file posing as one. */
    static final class NotAnImageException extends Exception {
        NotAnImageException() {
            super("file is not an image");
        }
    }

    private ImageHeaderReader() {
    }

    /**
     * @throws NotAnImageException the magic bytes are no image's
     * @throws BadImageException empty, an unsupported format, or a header that cannot be read
     * @throws BoundedInputStream.LimitExceededException the stream held more than it declared
     */
    static ImageHeader read(InputStream in) throws NotAnImageException, BadImageException, IOException {
        byte[] head = in.readNBytes(ImageFormat.MAGIC_LENGTH);
        if (head.length == 0) {
            throw new BadImageException("empty image file");
        }
        ImageFormat format = ImageFormat.sniff(head).orElseThrow(NotAnImageException::new);
        if (!format.supported()) {
            throw new BadImageException("unsupported image format " + format.formatName());
        }
        ImageReader reader = readerFor(format);
        try (ImageInputStream input = new MemoryCacheImageInputStream(
                new SequenceInputStream(new ByteArrayInputStream(head), in))) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new BadImageException("undecodable image: its header gives a size of " + width + "×" + height);
            }
            return new ImageHeader(format, width, height);
        } catch (IOException | RuntimeException e) {
            if (BoundedInputStream.causedByLimit(e)) {
                throw e instanceof BoundedInputStream.LimitExceededException limit ? limit
                        : new BoundedInputStream.LimitExceededException(e.getMessage());
            }
            throw new BadImageException("undecodable image: its " + format.formatName() + " header cannot be read");
        } finally {
            reader.dispose();
        }
    }

    /** A fresh reader: ImageIO readers are stateful, so each read gets its own and may run on any thread. */
    static ImageReader readerFor(ImageFormat format) throws BadImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.formatName());
        if (!readers.hasNext()) {
            throw new BadImageException("unsupported image format " + format.formatName());
        }
        return readers.next();
    }
}
