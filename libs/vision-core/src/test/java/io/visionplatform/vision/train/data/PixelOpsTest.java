package io.visionplatform.vision.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.visionplatform.vision.image.BgrImage;

/** The warp and the HSV jitter on images whose answers are known exactly. */
class PixelOpsTest {

    private static BgrImage ramp(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7 % 251);
        }
        return new BgrImage(w, h, px);
    }

    @Test
    void anIntegerTranslationCopiesPixelsAndFillsTheRestWithTheBorder() {
        BgrImage src = ramp(20, 10);
        BgrImage out = WarpBilinear.affine(src, new double[] { 1, 0, 3, 0, 1, -2 }, 20, 10, 114);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                int sx = x - 3, sy = y + 2;
                for (int c = 0; c < 3; c++) {
                    int expected = sx >= 0 && sx < 20 && sy < 10 ? src.get(sx, sy, c) : 114;
                    assertThat(out.get(x, y, c)).as("(%d, %d)", x, y).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void halfPixelShiftAveragesNeighboursAndPerspectiveIdentityIsACopy() {
        BgrImage src = ramp(8, 8);
        BgrImage shifted = WarpBilinear.affine(src, new double[] { 1, 0, -0.5, 0, 1, 0 }, 7, 8, 114);
        for (int c = 0; c < 3; c++) {
            // OpenCV rounds (a * 16384 + b * 16384 + 16384) >> 15, i.e. the mean rounded half up.
            assertThat(shifted.get(2, 3, c)).isEqualTo((src.get(2, 3, c) + src.get(3, 3, c) + 1) / 2);
        }
        BgrImage same = WarpBilinear.perspective(src, new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 8, 8, 114);
        assertThat(Arrays.equals(same.pixels(), src.pixels())).isTrue();
    }

    @Test
    void hsvShiftsHueScalesValueAndKeepsGreyGrey() {
        byte[] red = { 0, 0, (byte) 255 };
        HsvJitter.apply(red, 60 / 180.0, 0, 0); // hue 0 -> 60 of 180: red becomes green
        assertThat(red).containsExactly(0, (byte) 255, 0);

        byte[] grey = { (byte) 200, (byte) 200, (byte) 200 };
        HsvJitter.apply(grey, 0.3, 0.7, -0.5); // no saturation to scale, no hue to see; value halves
        assertThat(grey).containsExactly(100, 100, 100);

        byte[] colours = { 10, (byte) 200, 90, (byte) 255, 0, 0, 0, 0, 0, 33, 66, 99 };
        byte[] unchanged = colours.clone();
        HsvJitter.apply(colours, 0, 0, 0);
        for (int i = 0; i < colours.length; i++) {
            assertThat(Math.abs((colours[i] & 0xFF) - (unchanged[i] & 0xFF))).as("channel %d", i).isLessThanOrEqualTo(2);
        }
    }
}
