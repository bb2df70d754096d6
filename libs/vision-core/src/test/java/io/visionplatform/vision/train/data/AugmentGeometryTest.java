package io.visionplatform.vision.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After every geometric augmentation, boxes must still frame the coloured rectangles they label: each box's interior
 * has its class's colour, boxes stay inside the image, and (nearly) no pixel of a class's colour lies outside that
 * class's boxes. Colour jitter is off so colours can be recognised.
 */
class AugmentGeometryTest {

    private static final int IMGSZ = 128;
    /** Bilinear resizing and warping blur a rectangle's edge over about two pixels. */
    private static final int EDGE = 2;
    private static final int TOLERANCE = 12;

    @TempDir
    Path dir;

    private static AugmentConfig geometryOnly(double degrees, double shear, double mosaic) {
        return new AugmentConfig(0, 0, 0, degrees, 0.1, 0.5, shear, 0, 0.5, 0.5, mosaic);
    }

    @Test
    void mosaicAndPerspectiveKeepBoxesOnTheirRectangles() throws IOException {
        checkEpochs(SyntheticImages.dataset(dir, 12), geometryOnly(0, 0, 1.0), true, true);
    }

    @Test
    void letterboxAndPerspectiveKeepBoxesOnTheirRectangles() throws IOException {
        checkEpochs(SyntheticImages.dataset(dir, 12), geometryOnly(0, 0, 1.0), false, true);
    }

    /** Rotation and shear make boxes loose (their corners show background), but they must still hold the colour. */
    @Test
    void rotatedAndShearedBoxesStillEncloseTheirRectangles() throws IOException {
        checkEpochs(SyntheticImages.dataset(dir, 12), geometryOnly(15, 5, 1.0), true, false);
    }

    private void checkEpochs(List<Sample> samples, AugmentConfig aug, boolean mosaic, boolean checkInterior) {
        int boxes = 0;
        long colouredPixels = 0;
        long strayPixels = 0;
        try (TrainLoader loader = new TrainLoader(samples, aug, IMGSZ, 4, 11, 1)) {
            for (int epoch = 0; epoch < 4; epoch++) {
                for (Iterator<Batch> it = loader.epoch(epoch, mosaic); it.hasNext();) {
                    Batch batch = it.next();
                    assertThat(batch.height()).isEqualTo(IMGSZ);
                    assertThat(batch.width()).isEqualTo(IMGSZ);
                    boxes += batch.targetCount();
                    for (int i = 0; i < batch.size(); i++) {
                        List<float[]> imageBoxes = boxesOf(batch, i);
                        for (float[] box : imageBoxes) {
                            assertInsideImage(box);
                            if (checkInterior) {
                                assertInteriorHasColour(batch, i, box);
                            }
                        }
                        long[] counts = colourOutsideBoxes(batch, i, imageBoxes);
                        colouredPixels += counts[0];
                        strayPixels += counts[1];
                    }
                }
            }
        }
        assertThat(boxes).as("boxes seen").isGreaterThan(40);
        // Boxes dropped by box_candidates (under 10 % of their area left, or under 2 px) leave a little colour behind.
        assertThat((double) strayPixels / colouredPixels).as("share of coloured pixels outside their class's boxes")
                .isLessThan(0.03);
    }

    /** Pixel corners {@code x1, y1, x2, y2} and the class of each target row of image {@code i}. */
    static List<float[]> boxesOf(Batch batch, int i) {
        List<float[]> out = new java.util.ArrayList<>();
        float[] t = batch.targets();
        for (int r = 0; r < batch.targetCount(); r++) {
            int o = r * Batch.TARGET_FIELDS;
            if ((int) t[o] != i) {
                continue;
            }
            float cx = t[o + 2] * batch.width(), cy = t[o + 3] * batch.height();
            float w = t[o + 4] * batch.width(), h = t[o + 5] * batch.height();
            out.add(new float[] { cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, t[o + 1] });
        }
        return out;
    }

    private static void assertInsideImage(float[] box) {
        assertThat(box[0]).isGreaterThanOrEqualTo(-1e-3f);
        assertThat(box[1]).isGreaterThanOrEqualTo(-1e-3f);
        assertThat(box[2]).isLessThanOrEqualTo(IMGSZ + 1e-3f);
        assertThat(box[3]).isLessThanOrEqualTo(IMGSZ + 1e-3f);
        assertThat(box[2] - box[0]).as("width").isGreaterThan(2f);
        assertThat(box[3] - box[1]).as("height").isGreaterThan(2f);
    }

    private static void assertInteriorHasColour(Batch batch, int i, float[] box) {
        int cls = (int) box[4];
        int x1 = (int) Math.ceil(box[0]) + EDGE, y1 = (int) Math.ceil(box[1]) + EDGE;
        int x2 = (int) Math.floor(box[2]) - EDGE, y2 = (int) Math.floor(box[3]) - EDGE;
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                int[] rgb = SyntheticImages.rgb(batch, i, x, y);
                assertThat(SyntheticImages.isClassColour(rgb, cls, TOLERANCE))
                        .as("pixel (%d, %d) of image %d inside a class-%d box %s is %s", x, y, i, cls,
                                java.util.Arrays.toString(box), java.util.Arrays.toString(rgb))
                        .isTrue();
            }
        }
    }

    /** {coloured pixels, coloured pixels outside every box of their class (grown by the edge blur)}. */
    private static long[] colourOutsideBoxes(Batch batch, int i, List<float[]> boxes) {
        long coloured = 0;
        long stray = 0;
        for (int y = 0; y < batch.height(); y++) {
            for (int x = 0; x < batch.width(); x++) {
                int[] rgb = SyntheticImages.rgb(batch, i, x, y);
                for (int cls = 0; cls < SyntheticImages.CLASS_RGB.length; cls++) {
                    if (!SyntheticImages.isClassColour(rgb, cls, TOLERANCE)) {
                        continue;
                    }
                    coloured++;
                    boolean inside = false;
                    for (float[] b : boxes) {
                        inside |= (int) b[4] == cls && x + 0.5f >= b[0] - EDGE && x + 0.5f <= b[2] + EDGE
                                && y + 0.5f >= b[1] - EDGE && y + 0.5f <= b[3] + EDGE;
                    }
                    stray += inside ? 0 : 1;
                }
            }
        }
        return new long[] { coloured, stray };
    }
}
