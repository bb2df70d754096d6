package io.visionplatform.vision.train.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Test images with solid coloured rectangles on a dark background, one colour per class, and their exact boxes: after
 * any geometric augmentation, a box must still frame its colour.
 */
final class SyntheticImages {

    /** RGB per class: red, green, blue, yellow. */
    static final int[][] CLASS_RGB = { { 230, 20, 20 }, { 20, 230, 20 }, { 20, 20, 230 }, { 230, 230, 20 } };
    static final int BACKGROUND = 40;

    /** A rectangle in pixel edges: columns {@code x1..x2-1}, rows {@code y1..y2-1}. */
    record Rect(int cls, int x1, int y1, int x2, int y2) {
    }

    private SyntheticImages() {
    }

    static Sample write(Path file, int width, int height, List<Rect> rects) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int bg = (BACKGROUND << 16) | (BACKGROUND << 8) | BACKGROUND;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, bg);
            }
        }
        float[] boxes = new float[rects.size() * 5];
        for (int i = 0; i < rects.size(); i++) {
            Rect r = rects.get(i);
            int[] c = CLASS_RGB[r.cls()];
            int rgb = (c[0] << 16) | (c[1] << 8) | c[2];
            for (int y = r.y1(); y < r.y2(); y++) {
                for (int x = r.x1(); x < r.x2(); x++) {
                    img.setRGB(x, y, rgb);
                }
            }
            boxes[i * 5] = r.cls();
            boxes[i * 5 + 1] = (r.x1() + r.x2()) / 2f / width;
            boxes[i * 5 + 2] = (r.y1() + r.y2()) / 2f / height;
            boxes[i * 5 + 3] = (r.x2() - r.x1()) / (float) width;
            boxes[i * 5 + 4] = (r.y2() - r.y1()) / (float) height;
        }
        ImageIO.write(img, "png", file.toFile());
        return new Sample(file, boxes);
    }

    /** A varied set: different sizes and aspect ratios, two or three rectangles each, never overlapping. */
    static List<Sample> dataset(Path dir, int count) throws IOException {
        int[][] sizes = { { 160, 120 }, { 100, 150 }, { 200, 200 }, { 180, 90 }, { 96, 96 } };
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int w = sizes[i % sizes.length][0];
            int h = sizes[i % sizes.length][1];
            List<Rect> rects = new ArrayList<>();
            // Left half, right-top quarter, right-bottom quarter: disjoint by construction.
            rects.add(new Rect(i % 4, w / 10, h / 8, w / 10 + w / 3, h / 8 + h / 2));
            rects.add(new Rect((i + 1) % 4, w / 2 + w / 20, h / 10, w - w / 10, h / 10 + h / 4));
            if (i % 2 == 0) {
                rects.add(new Rect((i + 2) % 4, w / 2 + w / 8, h / 2 + h / 10, w / 2 + w / 8 + w / 5, h - h / 10));
            }
            samples.add(write(dir.resolve("img" + i + ".png"), w, h, rects));
        }
        return samples;
    }

    /** Pixel (x, y) of image {@code i} of a batch as 0..255 RGB. */
    static int[] rgb(Batch batch, int i, int x, int y) {
        int plane = batch.height() * batch.width();
        int base = i * 3 * plane + y * batch.width() + x;
        return new int[] { Math.round(batch.images()[base] * 255), Math.round(batch.images()[base + plane] * 255),
                Math.round(batch.images()[base + 2 * plane] * 255) };
    }

    static boolean isClassColour(int[] rgb, int cls, int tolerance) {
        int[] c = CLASS_RGB[cls];
        return Math.abs(rgb[0] - c[0]) <= tolerance && Math.abs(rgb[1] - c[1]) <= tolerance
                && Math.abs(rgb[2] - c[2]) <= tolerance;
    }
}
