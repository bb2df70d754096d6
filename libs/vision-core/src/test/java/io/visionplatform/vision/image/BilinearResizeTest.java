package io.visionplatform.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BilinearResizeTest {

    private static BgrImage grey(int w, int h, int... values) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                px[i * 3 + c] = (byte) values[i];
            }
        }
        return new BgrImage(w, h, px);
    }

    private static int[] greyValues(BgrImage img) {
        int[] out = new int[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.pixels()[i * 3] & 0xFF;
        }
        return out;
    }

    @Test
    void upscalesWithHalfPixelCentresClampedEdgesAndFixedPointRounding() {
        // 2 -> 3 columns: source x = -1/6 (clamped to 0), 0.5 (midpoint: 127.5 rounds to 128), 7/6 (clamped to 1).
        assertThat(greyValues(BilinearResize.resize(grey(2, 1, 0, 255), 3, 1))).containsExactly(0, 128, 255);
    }

    @Test
    void verticalPassKeepsOpenCvsTruncatingArithmetic() {
        // 1 -> 2 rows of 255: OpenCV's vertical pass yields 255 (not 254 or 256) for a flat column.
        assertThat(greyValues(BilinearResize.resize(grey(1, 1, 255), 1, 2))).containsExactly(255, 255);
        // 2 -> 3 rows: rows at y = -1/6 (weights of row 0 and a clamped row 0), 0.5, 7/6.
        assertThat(greyValues(BilinearResize.resize(grey(1, 2, 0, 200), 1, 3))).containsExactly(0, 100, 200);
    }

    @Test
    void exactHalvingIsTheRoundedTwoByTwoMean() {
        BgrImage src = grey(4, 2, 0, 1, 10, 20, 0, 0, 30, 41);
        // means: (0+1+0+0)/4 = 0.25 -> 0; (10+20+30+41)/4 = 25.25 -> 25; OpenCV's area path rounds (sum + 2) >> 2
        assertThat(greyValues(BilinearResize.resize(src, 2, 1))).containsExactly(0, 25);
        assertThat(greyValues(BilinearResize.resize(grey(2, 2, 1, 1, 1, 0), 1, 1))).containsExactly(1);
    }

    @Test
    void flatImagesStayFlatAtAnyScale() {
        int[] values = new int[7 * 5];
        java.util.Arrays.fill(values, 114);
        BgrImage flat = grey(7, 5, values);
        for (int[] size : new int[][] { { 3, 2 }, { 13, 11 }, { 7, 9 }, { 1, 1 }, { 20, 3 } }) {
            assertThat(greyValues(BilinearResize.resize(flat, size[0], size[1]))).containsOnly(114);
        }
    }

    @Test
    void sameSizeIsACopy() {
        BgrImage src = grey(2, 1, 5, 6);
        BgrImage out = BilinearResize.resize(src, 2, 1);
        assertThat(out.pixels()).isEqualTo(src.pixels()).isNotSameAs(src.pixels());
    }
}
