package io.visionplatform.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoxIouTest {

    @Test
    void iouOfOverlappingTouchingAndDisjointBoxes() {
        float[] a = { 0, 0, 10, 10 };
        assertThat(BoxIou.iou(a, a)).isCloseTo(1f, within(1e-6f));
        assertThat(BoxIou.iou(a, new float[] { 5, 0, 15, 10 })).isCloseTo(50f / 150f, within(1e-6f));
        assertThat(BoxIou.iou(a, new float[] { 10, 0, 20, 10 })).isZero();
        assertThat(BoxIou.iou(a, new float[] { 30, 30, 40, 40 })).isZero();
        // containment
        assertThat(BoxIou.iou(a, new float[] { 0, 0, 5, 5 })).isCloseTo(0.25f, within(1e-6f));
        // degenerate boxes: the eps keeps it finite
        assertThat(BoxIou.iou(new float[] { 1, 1, 1, 1 }, new float[] { 1, 1, 1, 1 })).isZero();
    }

    @Test
    void matrixIsLabelsByPredictions() {
        float[][] m = BoxIou.matrix(new float[][] { { 0, 0, 10, 10 }, { 20, 20, 30, 30 } },
                new float[][] { { 0, 0, 10, 10 }, { 5, 0, 15, 10 }, { 20, 20, 30, 30 } });
        assertThat(m.length).isEqualTo(2);
        assertThat(m[0]).hasSize(3);
        assertThat(m[0][1]).isCloseTo(1f / 3f, within(1e-6f));
        assertThat(m[1][2]).isCloseTo(1f, within(1e-6f));
        assertThat(m[1][0]).isZero();
        assertThatThrownBy(() -> BoxIou.matrix(new float[][] { { 0, 0, 1 } }, new float[0][]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
