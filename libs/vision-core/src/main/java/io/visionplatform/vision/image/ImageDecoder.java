package io.visionplatform.vision.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes encoded images (JPEG, PNG, BMP, GIF: whatever {@code javax.imageio} reads) into {@link BgrImage}, the way
 * {@code cv2.imdecode(buf, cv2.IMREAD_COLOR)} does: always 3 channels, grey replicated into B, G and R, alpha dropped
 * (not composited), 16-bit samples reduced to their high byte, and the JPEG EXIF orientation applied.
 * <p>
 * The JDK's JPEG decoder is IJG libjpeg 6b with the default integer IDCT and fancy upsampling, which libjpeg-turbo (used
 * by OpenCV) reproduces bit for bit; the fixture tests check this against OpenCV's recorded pixel hashes.
 */
public final class ImageDecoder {

    static {
        // No disk cache: decoding works on read-only or tiny temp directories and avoids file churn per request.
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    public static BgrImage read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    public static BgrImage decode(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            throw new ImageDecodeException("empty image data");
        }
        BufferedImage image = readImage(encoded);
        BgrImage bgr = toBgr(image);
        if (isJpeg(encoded)) {
            bgr = ExifOrientation.apply(bgr, ExifOrientation.read(encoded));
        }
        return bgr;
    }

    private static BufferedImage readImage(byte[] encoded) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException("unrecognised image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageDecodeException ide) {
                throw ide;
            }
            throw new ImageDecodeException("cannot decode image: " + e.getMessage(), e);
        }
    }

    static BgrImage toBgr(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int colorSpace = cm.getColorSpace().getType();
        if (cm instanceof IndexColorModel icm) {
            copyIndexed(raster, icm, out);
        } else if (colorSpace == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2)) {
            copySamples(raster, new int[] { 0, 0, 0 }, out);
        } else if (colorSpace == ColorSpace.TYPE_RGB && bands >= 3) {
            copySamples(raster, new int[] { 2, 1, 0 }, out);
        } else {
            // Anything else (e.g. CMYK/YCCK colour models from plug-ins): let Java2D convert to sRGB.
            copyArgb(image, out);
        }
        return new BgrImage(w, h, out);
    }

    /** Copies samples band-by-band; {@code bandForBgr[i]} is the raster band that feeds output channel i (B, G, R). */
    private static void copySamples(Raster raster, int[] bandForBgr, byte[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int base = x * bands;
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) to8Bit(row[base + bandForBgr[c]], bits);
                }
            }
        }
    }

    /** 16-bit samples keep their high byte (libpng's strip-16, as OpenCV reads PNG); low bit depths are stretched. */
    private static int to8Bit(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }

    private static void copyIndexed(Raster raster, IndexColorModel icm, byte[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x];
                out[o++] = (byte) icm.getBlue(i);
                out[o++] = (byte) icm.getGreen(i);
                out[o++] = (byte) icm.getRed(i);
            }
        }
    }

    private static void copyArgb(BufferedImage image, byte[] out) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                out[o++] = (byte) argb;
                out[o++] = (byte) (argb >> 8);
                out[o++] = (byte) (argb >> 16);
            }
        }
    }

    private static boolean isJpeg(byte[] data) {
        return data.length > 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8;
    }
}
