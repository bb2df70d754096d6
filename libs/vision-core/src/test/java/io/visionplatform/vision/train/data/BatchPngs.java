package io.visionplatform.vision.train.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/** Writes a batch's images as PNG files with their target boxes outlined in white, to look at augmentations. */
final class BatchPngs {

    private BatchPngs() {
    }

    static List<Path> write(Batch batch, Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BufferedImage img = new BufferedImage(batch.width(), batch.height(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < batch.height(); y++) {
                for (int x = 0; x < batch.width(); x++) {
                    int[] rgb = SyntheticImages.rgb(batch, i, x, y);
                    img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                }
            }
            for (float[] box : AugmentGeometryTest.boxesOf(batch, i)) {
                outline(img, Math.round(box[0]), Math.round(box[1]), Math.round(box[2]) - 1, Math.round(box[3]) - 1);
            }
            Path file = dir.resolve(prefix + "-" + i + ".png");
            ImageIO.write(img, "png", file.toFile());
            written.add(file);
        }
        return written;
    }

    private static void outline(BufferedImage img, int x1, int y1, int x2, int y2) {
        for (int x = Math.max(x1, 0); x <= Math.min(x2, img.getWidth() - 1); x++) {
            set(img, x, y1);
            set(img, x, y2);
        }
        for (int y = Math.max(y1, 0); y <= Math.min(y2, img.getHeight() - 1); y++) {
            set(img, x1, y);
            set(img, x2, y);
        }
    }

    private static void set(BufferedImage img, int x, int y) {
        if (x >= 0 && y >= 0 && x < img.getWidth() && y < img.getHeight()) {
            img.setRGB(x, y, 0xFFFFFF);
        }
    }
}
