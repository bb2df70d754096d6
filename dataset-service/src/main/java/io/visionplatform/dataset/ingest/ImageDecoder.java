package io.visionplatform.dataset.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Decodes an image in full (headless ImageIO) and renders its thumbnail; CPU work, call it off the event loop. */
public final class ImageDecoder {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final float THUMBNAIL_QUALITY = 0.8f;

    private final IngestLimits limits;

    public ImageDecoder(IngestLimits limits) {
        this.limits = limits;
    }

    /**
     * @param fileName for messages only
     * @throws BadImageException undecodable, truncated, unsupported or larger than {@code maxImagePixels}
     */
    public DecodedImage decode(byte[] bytes, String fileName) throws BadImageException {
        if (bytes == null || bytes.length == 0) {
            throw new BadImageException("empty image file");
        }
        ImageFormat format = ImageFormat.sniff(Arrays.copyOf(bytes, Math.min(bytes.length, ImageFormat.MAGIC_LENGTH)))
                .orElseThrow(() -> new BadImageException("not an image"));
        if (!format.supported()) {
            throw new BadImageException("unsupported format " + format.formatName());
        }
        BufferedImage image = readPixels(bytes, format);
        return new DecodedImage(format.formatName(), format.contentType(), format.extension(), image.getWidth(),
                image.getHeight(), thumbnailJpeg(image, limits.thumbnailSize()));
    }

    /** Decodes the first image; any warning (e.g. "Premature end of JPEG file") counts as corrupt data. */
    private BufferedImage readPixels(byte[] bytes, ImageFormat format) throws BadImageException {
        ImageReader reader = ImageHeaderReader.readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new BadImageException("undecodable image: its header gives a size of " + width + "×" + height);
            }
            long pixels = (long) width * height;
            if (pixels > limits.maxImagePixels()) {
                throw new BadImageException("image has " + width + "×" + height + " pixels, more than the limit of "
                        + limits.maxImagePixels());
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new BadImageException("truncated or corrupt image: " + warnings.get(0));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            throw new BadImageException("undecodable " + format.formatName() + " image"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            reader.dispose();
        }
    }

    /** The image scaled to fit {@code maxSide} (never up), flattened onto white, as a JPEG. */
    static byte[] thumbnailJpeg(BufferedImage image, int maxSide) throws BadImageException {
        int width = image.getWidth();
        int height = image.getHeight();
        double scale = Math.min(1.0, maxSide / (double) Math.max(width, height));
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        BufferedImage current = image;
        // One bilinear step from far above the target skips most source pixels; halving first keeps detail smooth.
        while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
            current = drawRgb(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return encodeJpeg(drawRgb(current, targetWidth, targetHeight));
    }

    private static BufferedImage drawRgb(BufferedImage source, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static byte[] encodeJpeg(BufferedImage rgb) throws BadImageException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no JPEG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(THUMBNAIL_QUALITY);
            writer.setOutput(output);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new BadImageException("thumbnail cannot be encoded: " + e.getMessage());
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
