package io.visionplatform.vision.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NmsTest {

    private static ScoredBox box(float x1, float y1, float x2, float y2, float score, int cls) {
        return new ScoredBox(x1, y1, x2, y2, score, cls);
    }

    @Test
    void overlappingBoxesOfTheSameClassAreSuppressed() {
        ScoredBox best = box(10, 10, 50, 50, 0.9f, 0);
        ScoredBox overlapping = box(12, 12, 52, 52, 0.8f, 0); // IoU ~0.82
        ScoredBox apart = box(100, 100, 140, 140, 0.7f, 0);
        assertThat(Nms.apply(List.of(overlapping, apart, best), 0.25, 0.7, 300)).containsExactly(best, apart);
    }

    @Test
    void iouThresholdIsStrict() {
        ScoredBox a = box(0, 0, 10, 10, 0.9f, 0);
        ScoredBox b = box(0, 0, 10, 5, 0.8f, 0); // IoU exactly 0.5
        assertThat(Nms.apply(List.of(a, b), 0.25, 0.5, 300)).containsExactly(a, b);
        assertThat(Nms.apply(List.of(a, b), 0.25, 0.49, 300)).containsExactly(a);
    }

    @Test
    void differentClassesNeverSuppressEachOther() {
        ScoredBox circle = box(10, 10, 50, 50, 0.9f, 0);
        ScoredBox square = box(10, 10, 50, 50, 0.8f, 1);
        ScoredBox cross = box(11, 11, 50, 50, 0.3f, 3);
        assertThat(Nms.apply(List.of(cross, square, circle), 0.25, 0.1, 300)).containsExactly(circle, square, cross);
    }

    @Test
    void suppressedBoxesDoNotSuppressOthers() {
        // b overlaps a and c; a suppresses b, so c (which only overlaps b) survives: greedy, like torchvision.
        ScoredBox a = box(0, 0, 10, 10, 0.9f, 0);
        ScoredBox b = box(4, 0, 14, 10, 0.8f, 0);
        ScoredBox c = box(8, 0, 18, 10, 0.7f, 0);
        assertThat(Nms.apply(List.of(a, b, c), 0.25, 0.3, 300)).containsExactly(a, c);
    }

    @Test
    void keepsAtMostMaxDetBestFirst() {
        List<ScoredBox> boxes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boxes.add(box(i * 20, 0, i * 20 + 10, 10, (30 + 5 * i) / 100f, 0));
        }
        List<ScoredBox> kept = Nms.apply(boxes, 0.25, 0.7, 3);
        assertThat(kept).extracting(ScoredBox::score).containsExactly(75 / 100f, 70 / 100f, 65 / 100f);
        assertThat(Nms.apply(boxes, 0.25, 0.7, 0)).isEmpty();
    }

    @Test
    void confidenceMustBeStrictlyGreaterThanConf() {
        ScoredBox atThreshold = box(0, 0, 10, 10, 0.25f, 0);
        ScoredBox above = box(20, 0, 30, 10, Math.nextUp(0.25f), 0);
        ScoredBox below = box(40, 0, 50, 10, 0.1f, 1);
        assertThat(Nms.apply(List.of(atThreshold, above, below), 0.25, 0.7, 300)).containsExactly(above);
    }

    @Test
    void touchingOrEmptyBoxesAreKept() {
        ScoredBox a = box(0, 0, 10, 10, 0.9f, 0);
        ScoredBox touching = box(10, 0, 20, 10, 0.8f, 0);
        ScoredBox empty = box(5, 5, 5, 5, 0.7f, 0);
        assertThat(Nms.apply(List.of(a, touching, empty), 0.25, 0.0, 300)).containsExactly(a, touching, empty);
    }
}
