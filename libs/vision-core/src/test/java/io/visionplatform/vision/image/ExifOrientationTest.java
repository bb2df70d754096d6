package io.visionplatform.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ExifOrientationTest {

    /** A 3x2 image whose pixels are all different: blue channel = 10 * (y * 3 + x). */
    private static BgrImage sample() {
        byte[] px = new byte[3 * 2 * 3];
        for (int i = 0; i < 6; i++) {
            px[i * 3] = (byte) (10 * i);
        }
        return new BgrImage(3, 2, px);
    }

    private static int[][] blue(BgrImage img) {
        int[][] out = new int[img.height()][img.width()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                out[y][x] = img.get(x, y, 0);
            }
        }
        return out;
    }

    @Test
    void appliesTheEightOrientationsLikeOpenCv() {
        // source (blue values):  0 10 20
        //                       30 40 50
        assertThat(blue(ExifOrientation.apply(sample(), 1))).isDeepEqualTo(new int[][] { { 0, 10, 20 }, { 30, 40, 50 } });
        assertThat(blue(ExifOrientation.apply(sample(), 2))).isDeepEqualTo(new int[][] { { 20, 10, 0 }, { 50, 40, 30 } });
        assertThat(blue(ExifOrientation.apply(sample(), 3))).isDeepEqualTo(new int[][] { { 50, 40, 30 }, { 20, 10, 0 } });
        assertThat(blue(ExifOrientation.apply(sample(), 4))).isDeepEqualTo(new int[][] { { 30, 40, 50 }, { 0, 10, 20 } });
        assertThat(blue(ExifOrientation.apply(sample(), 5))).isDeepEqualTo(new int[][] { { 0, 30 }, { 10, 40 }, { 20, 50 } });
        assertThat(blue(ExifOrientation.apply(sample(), 6))).isDeepEqualTo(new int[][] { { 30, 0 }, { 40, 10 }, { 50, 20 } });
        assertThat(blue(ExifOrientation.apply(sample(), 7))).isDeepEqualTo(new int[][] { { 50, 20 }, { 40, 10 }, { 30, 0 } });
        assertThat(blue(ExifOrientation.apply(sample(), 8))).isDeepEqualTo(new int[][] { { 20, 50 }, { 10, 40 }, { 0, 30 } });
    }

    @Test
    void readsTheTagFromBothByteOrdersAndIgnoresJunk() throws IOException {
        byte[] jpeg = jpeg(16, 8);
        assertThat(ExifOrientation.read(jpeg)).isEqualTo(1);
        assertThat(ExifOrientation.read(withExif(jpeg, 6, true))).isEqualTo(6);
        assertThat(ExifOrientation.read(withExif(jpeg, 8, false))).isEqualTo(8);
        assertThat(ExifOrientation.read(withExif(jpeg, 42, true))).isEqualTo(1);
        byte[] truncated = withExif(jpeg, 6, true);
        truncated[7] = 0x7F; // APP1 length now runs past the end of the file
        assertThat(ExifOrientation.read(truncated)).isEqualTo(1);
    }

    @Test
    void decoderTurnsARotatedPhotoUpright() throws IOException {
        byte[] rotated = withExif(jpeg(16, 8), 6, true);
        BgrImage img = ImageDecoder.decode(rotated);
        assertThat(img.width()).isEqualTo(8);
        assertThat(img.height()).isEqualTo(16);
        // Left half of the 16x8 source is dark, right half light; after a clockwise turn dark is on top.
        assertThat(img.get(4, 2, 1)).isLessThan(60);
        assertThat(img.get(4, 13, 1)).isGreaterThan(200);
    }

    private static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? 0x101010 : 0xF0F0F0);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /** Inserts an APP1 Exif segment with one IFD0 entry (Orientation, SHORT) right after SOI. */
    private static byte[] withExif(byte[] jpeg, int orientation, boolean bigEndian) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        if (bigEndian) {
            tiff.writeBytes(new byte[] { 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0,
                    (byte) orientation, 0, 0, 0, 0, 0, 0 });
        } else {
            tiff.writeBytes(new byte[] { 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
                    (byte) orientation, 0, 0, 0, 0, 0, 0, 0 });
        }
        byte[] payload = tiff.toByteArray();
        int length = 2 + 6 + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(new byte[] { 'E', 'x', 'i', 'f', 0, 0 });
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
