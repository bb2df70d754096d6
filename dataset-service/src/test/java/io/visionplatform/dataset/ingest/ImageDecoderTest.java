package io.visionplatform.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.visionplatform.dataset.testdata.SyntheticDatasets;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(IngestLimits.defaults());

    @Test
    void decodesJpegAndScalesTheThumbnailToTheLongerSide() throws Exception {
        DecodedImage image = decoder.decode(SyntheticDatasets.jpeg(640, 480, 1), "a.jpg");

        assertThat(image.format()).isEqualTo("jpeg");
        assertThat(image.contentType()).isEqualTo("image/jpeg");
        assertThat(image.extension()).isEqualTo("jpg");
        assertThat(image.width()).isEqualTo(640);
        assertThat(image.height()).isEqualTo(480);
        BufferedImage thumbnail = read(image.thumbnailJpeg());
        assertThat(thumbnail.getWidth()).isEqualTo(256);
        assertThat(thumbnail.getHeight()).isEqualTo(192);
    }

    @Test
    void decodesPngWithAlphaOntoWhiteAndNeverUpscales() throws Exception {
        BufferedImage transparent = new BufferedImage(100, 300, BufferedImage.TYPE_INT_ARGB);
        DecodedImage tall = decoder.decode(encode(transparent, "png"), "t.png");
        assertThat(tall.format()).isEqualTo("png");
        assertThat(tall.contentType()).isEqualTo("image/png");
        BufferedImage thumbnail = read(tall.thumbnailJpeg());
        assertThat(thumbnail.getHeight()).isEqualTo(256);
        assertThat(thumbnail.getWidth()).isEqualTo(85);
        assertThat(new Color(thumbnail.getRGB(40, 100)).getRed()).isGreaterThan(240);

        DecodedImage small = decoder.decode(SyntheticDatasets.png(40, 30, 2), "s.png");
        BufferedImage smallThumbnail = read(small.thumbnailJpeg());
        assertThat(smallThumbnail.getWidth()).isEqualTo(40);
        assertThat(smallThumbnail.getHeight()).isEqualTo(30);
    }

    @Test
    void decodesBmpGifAndGrey() throws Exception {
        BufferedImage grey = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.fillRect(5, 5, 10, 10);
        g.dispose();

        assertThat(decoder.decode(encode(grey, "bmp"), "g.bmp"))
                .satisfies(d -> assertThat(d.format()).isEqualTo("bmp"))
                .satisfies(d -> assertThat(d.extension()).isEqualTo("bmp"));
        assertThat(decoder.decode(encode(grey, "gif"), "g.gif"))
                .satisfies(d -> assertThat(d.contentType()).isEqualTo("image/gif"))
                .satisfies(d -> assertThat(d.width()).isEqualTo(30));
        assertThat(decoder.decode(encode(grey, "png"), "g.png").height()).isEqualTo(20);
    }

    @Test
    void truncatedJpegFails() {
        byte[] jpeg = SyntheticDatasets.jpeg(320, 240, 3);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);

        assertThatThrownBy(() -> decoder.decode(truncated, "cut.jpg")).isInstanceOf(BadImageException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void truncatedPngFails() {
        byte[] png = SyntheticDatasets.png(320, 240, 3);

        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(png, png.length / 2), "cut.png"))
                .isInstanceOf(BadImageException.class);
    }

    @Test
    void nonImagesAndUnsupportedFormatsFail() {
        assertThatThrownBy(() -> decoder.decode("hello".getBytes(StandardCharsets.UTF_8), "x.jpg"))
                .isInstanceOf(BadImageException.class).hasMessage("not an image");
        assertThatThrownBy(() -> decoder.decode("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1),
                "x.webp")).isInstanceOf(BadImageException.class).hasMessage("unsupported format webp");
        assertThatThrownBy(() -> decoder.decode(new byte[0], "x.png")).isInstanceOf(BadImageException.class);
        byte[] fakePng = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 'n', 'o', 'p', 'e' };
        assertThatThrownBy(() -> decoder.decode(fakePng, "x.png")).isInstanceOf(BadImageException.class);
    }

    @Test
    void pixelCapIsCheckedBeforeDecoding() {
        ImageDecoder capped = new ImageDecoder(new IngestLimits(10, 1L << 30, 1L << 20, 100, 640L * 480 - 1, 256));

        assertThatThrownBy(() -> capped.decode(SyntheticDatasets.jpeg(640, 480, 4), "big.jpg"))
                .isInstanceOf(BadImageException.class).hasMessageContaining("640×480");
    }

    @Test
    void decodesConcurrently() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            inputs.add(i % 2 == 0 ? SyntheticDatasets.jpeg(200 + i, 150, i) : SyntheticDatasets.png(150, 100 + i, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DecodedImage>> results = new ArrayList<>();
            for (byte[] input : inputs) {
                results.add(pool.submit(() -> decoder.decode(input, "x")));
            }
            for (int i = 0; i < inputs.size(); i++) {
                DecodedImage decoded = results.get(i).get();
                assertThat(decoded.width()).isEqualTo(i % 2 == 0 ? 200 + i : 150);
                assertThat(read(decoded.thumbnailJpeg())).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static BufferedImage read(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, bytes)).isTrue();
        return bytes.toByteArray();
    }
}
