package io.visionplatform.vision.onnx;

import java.util.List;

/**
 * How {@link OnnxExporter} writes a model. Every field has a default taken from the checkpoint; build from
 * {@link #defaults()} with the {@code with...} methods.
 *
 * @param imgsz the static input size {@code [height, width]}, each a positive multiple of the model's largest
 *        stride; null: the checkpoint's training {@code imgsz} (640 when it has none), as Ultralytics' export
 * @param endToEnd for end-to-end models (YOLO26): true writes the NMS-free {@code [1, k, 6]} head (Ultralytics'
 *        default), false the one-to-many {@code [1, 4 + nc, N]} head (Ultralytics' {@code end2end=False}); null: the
 *        model's own; true for a model without an end-to-end head is refused
 * @param maxDet rows of the end-to-end output (capped at the number of anchors); 0: the head's {@code max_det} (300)
 * @param date the {@code date} metadata value; null: now, as {@code datetime.now().isoformat()}. Fix it to get the
 *        same bytes from the same checkpoint every time.
 */
public record ExportOptions(List<Integer> imgsz, Boolean endToEnd, int maxDet, String date) {

    public ExportOptions {
        if (imgsz != null) {
            if (imgsz.size() != 2 || imgsz.get(0) == null || imgsz.get(1) == null || imgsz.get(0) <= 0
                    || imgsz.get(1) <= 0) {
                throw new IllegalArgumentException("imgsz must be [height, width], both positive, got " + imgsz);
            }
            imgsz = List.copyOf(imgsz);
        }
        if (maxDet < 0) {
            throw new IllegalArgumentException("maxDet must be >= 0, got " + maxDet);
        }
    }

    /** The checkpoint's imgsz, its own head, its max_det, the current date. */
    public static ExportOptions defaults() {
        return new ExportOptions(null, null, 0, null);
    }

    public ExportOptions withImgsz(int height, int width) {
        return new ExportOptions(List.of(height, width), endToEnd, maxDet, date);
    }

    public ExportOptions withEndToEnd(boolean value) {
        return new ExportOptions(imgsz, value, maxDet, date);
    }

    public ExportOptions withMaxDet(int value) {
        return new ExportOptions(imgsz, endToEnd, value, date);
    }

    public ExportOptions withDate(String value) {
        return new ExportOptions(imgsz, endToEnd, maxDet, value);
    }
}
