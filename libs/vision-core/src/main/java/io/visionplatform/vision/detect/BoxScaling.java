package io.visionplatform.vision.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.visionplatform.vision.image.LetterboxInfo;

/**
 * Maps boxes from model-input pixels back to the original image, as Ultralytics' {@code scale_boxes}: the gain and
 * padding are recomputed from the input and original sizes ({@code gain = min(inH / h, inW / w)},
 * {@code pad = round((inW - round(w * gain)) / 2 - 0.1)}, likewise vertically), then
 * {@code (x - pad) / gain}, clipped to {@code [0, w] x [0, h]}. For every letterbox this library builds, that gain and
 * padding equal the letterbox's own.
 */
public final class BoxScaling {

    private BoxScaling() {
    }

    public static List<Detection> toOriginal(List<ScoredBox> boxes, LetterboxInfo info, IntFunction<String> className) {
        return map(boxes, info, className, true);
    }

    /** As {@link #toOriginal}, without the clipping: what Ultralytics' validation scores. */
    public static List<Detection> toOriginalUnclipped(List<ScoredBox> boxes, LetterboxInfo info,
            IntFunction<String> className) {
        return map(boxes, info, className, false);
    }

    private static List<Detection> map(List<ScoredBox> boxes, LetterboxInfo info, IntFunction<String> className,
            boolean clip) {
        int w = info.originalWidth();
        int h = info.originalHeight();
        double gain = Math.min((double) info.inputHeight() / h, (double) info.inputWidth() / w);
        int padX = (int) Math.rint((info.inputWidth() - Math.rint(w * gain)) / 2 - 0.1);
        int padY = (int) Math.rint((info.inputHeight() - Math.rint(h * gain)) / 2 - 0.1);
        // float32 like the reference tensors: (x - pad) / gain with the gain as float
        float g = (float) gain;
        List<Detection> out = new ArrayList<>(boxes.size());
        for (ScoredBox b : boxes) {
            float x1 = (b.x1() - padX) / g;
            float y1 = (b.y1() - padY) / g;
            float x2 = (b.x2() - padX) / g;
            float y2 = (b.y2() - padY) / g;
            if (clip) {
                x1 = clip(x1, w);
                y1 = clip(y1, h);
                x2 = clip(x2, w);
                y2 = clip(y2, h);
            }
            out.add(new Detection(b.classId(), className.apply(b.classId()), b.score(), x1, y1, x2, y2));
        }
        return out;
    }

    private static float clip(float v, int max) {
        return Math.max(0f, Math.min(v, max));
    }
}
