package io.visionplatform.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.visionplatform.vision.Fixtures;

class ImageDecoderTest {

    /** Prefixes of the sha256 of OpenCV 4.6's decoded BGR bytes, from the fixture README's image table. */
    private static final Map<String, String> OPENCV_DECODED = new LinkedHashMap<>();

    static {
        OPENCV_DECODED.put("predict_00_320x120.jpg", "96949788d8e14508");
        OPENCV_DECODED.put("predict_01_120x300.jpg", "0e990a67c204521d");
        OPENCV_DECODED.put("predict_02_192x192.jpg", "86538fe9c6444633");
        OPENCV_DECODED.put("predict_03_256x144.jpg", "d4264afb10f353cc");
        OPENCV_DECODED.put("predict_04_160x240.jpg", "5dbcd3e3f8da156f");
        OPENCV_DECODED.put("predict_05_300x200_gray.jpg", "54ef8143e8f1d558");
        OPENCV_DECODED.put("predict_06_224x168.png", "e9bfc3c0d217ed8b");
        OPENCV_DECODED.put("predict_07_200x256.jpg", "3f45c62be046882f");
        OPENCV_DECODED.put("predict_08_317x131.jpg", "a85eed735867808d");
        OPENCV_DECODED.put("predict_09_143x211.jpg", "d51c63438711f486");
        OPENCV_DECODED.put("predict_10_288x256.jpg", "8f7cba5a0a772d69");
        OPENCV_DECODED.put("predict_11_176x123.jpg", "28269ead2b5f090f");
    }

    @Test
    void decodesEveryFixtureImageToOpenCvsExactBytes() throws IOException {
        assertThat(Fixtures.imageNames()).containsExactlyElementsOf(OPENCV_DECODED.keySet());
        int exact = 0;
        for (Map.Entry<String, String> e : OPENCV_DECODED.entrySet()) {
            BgrImage image = ImageDecoder.read(Fixtures.image(e.getKey()));
            String[] size = e.getKey().replaceAll("^predict_\\d+_(\\d+x\\d+).*$", "$1").split("x");
            assertThat(image.width()).isEqualTo(Integer.parseInt(size[0]));
            assertThat(image.height()).isEqualTo(Integer.parseInt(size[1]));
            assertThat(Fixtures.sha256(image.pixels())).as("decoded BGR bytes of %s", e.getKey()).startsWith(e.getValue());
            exact++;
        }
        System.out.println("[vision-core] ImageIO vs OpenCV decode: " + exact + "/12 images byte-identical (max pixel diff 0)");
    }

    @Test
    void fullDecodedHashMatchesRawOutputRecord() throws IOException {
        for (var entry : Fixtures.json("yolov8n-shapes4", "raw_output.json").get("images")) {
            BgrImage image = ImageDecoder.read(Fixtures.image(entry.get("image").asText()));
            assertThat(Fixtures.sha256(image.pixels())).isEqualTo(entry.get("decoded_bgr_uint8_sha256").asText());
        }
    }

    @Test
    void pngAlphaIsDroppedNotComposited() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00_10_20_30); // fully transparent: the colour must survive
        argb.setRGB(1, 0, 0x80_C8_64_32);
        BgrImage bgr = ImageDecoder.decode(png(argb));
        assertThat(bgr.width()).isEqualTo(2);
        assertThat(new int[] { bgr.get(0, 0, 0), bgr.get(0, 0, 1), bgr.get(0, 0, 2) }).containsExactly(0x30, 0x20, 0x10);
        assertThat(new int[] { bgr.get(1, 0, 0), bgr.get(1, 0, 1), bgr.get(1, 0, 2) }).containsExactly(0x32, 0x64, 0xC8);
    }

    @Test
    void greyscaleBecomesThreeEqualChannelsWithoutGammaChange() throws IOException {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0);
        grey.getRaster().setSample(1, 0, 0, 100);
        grey.getRaster().setSample(2, 0, 0, 255);
        BgrImage bgr = ImageDecoder.decode(png(grey));
        for (int x = 0; x < 3; x++) {
            int expected = new int[] { 0, 100, 255 }[x];
            assertThat(new int[] { bgr.get(x, 0, 0), bgr.get(x, 0, 1), bgr.get(x, 0, 2) })
                    .containsExactly(expected, expected, expected);
        }
    }

    @Test
    void sixteenBitGreyKeepsTheHighByte() throws IOException {
        BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 0x1234);
        grey16.getRaster().setSample(1, 0, 0, 0xFFFF);
        BgrImage bgr = ImageDecoder.decode(png(grey16));
        assertThat(bgr.get(0, 0, 1)).isEqualTo(0x12);
        assertThat(bgr.get(1, 0, 2)).isEqualTo(0xFF);
    }

    @Test
    void palettePngIsExpanded() throws IOException {
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0xFF0000);
        indexed.setRGB(1, 0, 0x0000FF);
        BgrImage bgr = ImageDecoder.decode(png(indexed));
        assertThat(bgr.get(0, 0, 2)).isGreaterThan(200);
        assertThat(bgr.get(0, 0, 0)).isLessThan(50);
        assertThat(bgr.get(1, 0, 0)).isGreaterThan(200);
        assertThat(bgr.get(1, 0, 2)).isLessThan(50);
    }

    @Test
    void refusesNonImages() {
        assertThatThrownBy(() -> ImageDecoder.decode(new byte[0])).isInstanceOf(ImageDecodeException.class);
        assertThatThrownBy(() -> ImageDecoder.decode("not an image".getBytes())).isInstanceOf(ImageDecodeException.class);
        assertThatThrownBy(() -> ImageDecoder.decode(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1 }))
                .isInstanceOf(ImageDecodeException.class);
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", out)).isTrue();
        return out.toByteArray();
    }
}
