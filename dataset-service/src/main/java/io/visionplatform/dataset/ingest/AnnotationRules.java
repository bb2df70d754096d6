package io.visionplatform.dataset.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape and value rules of one task's annotation rows: value count, class id below nc, coordinates in 0..1 (tiny
 * float overshoots clamped). Pose rows without a declared {@code kpt_shape} fix the shape from the first row seen.
 */
final class AnnotationRules {

    /** How far past 0..1 a coordinate may stray (float noise of exporters) before it is an error. */
    static final double TOLERANCE = 1e-6;

    private final DatasetTask task;
    private final int classCount;
    private List<Integer> kptShape;

    /** @param kptShape pose datasets' declared shape, empty to take it from the rows (as [k, 3]) */
    AnnotationRules(DatasetTask task, int classCount, List<Integer> kptShape) {
        this.task = task;
        this.classCount = classCount;
        this.kptShape = task == DatasetTask.POSE ? List.copyOf(kptShape) : List.of();
    }

    /** Pose: the declared shape or the one inferred from the rows; empty for other tasks or before any pose row. */
    List<Integer> kptShape() {
        return kptShape;
    }

    /** The row as doubles, checked and with overshoots clamped. */
    List<Double> check(double[] values) throws InvalidAnnotationException {
        checkCount(values.length);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new InvalidAnnotationException("value " + (i + 1) + " is not a finite number");
            }
        }
        checkClass(values[0]);
        List<Double> row = new ArrayList<>(values.length);
        row.add(values[0]);
        for (int i = 1; i < values.length; i++) {
            row.add(isVisibility(i) ? checkVisibility(values[i], i) : coordinate(values[i], i));
        }
        return List.copyOf(row);
    }

    private void checkCount(int count) throws InvalidAnnotationException {
        switch (task) {
            case CLASSIFY -> expectCount(count, 1, "a class id");
            case DETECT -> expectCount(count, 5, "class cx cy w h");
            case OBB -> expectCount(count, 9, "class x1 y1 x2 y2 x3 y3 x4 y4");
            case SEGMENT -> {
                if (count < 7 || count % 2 == 0) {
                    throw new InvalidAnnotationException(count + " values; a segment row is a class and at least"
                            + " 3 x y points (an odd count of 7 or more)");
                }
            }
            case POSE -> checkPoseCount(count);
        }
    }

    private void checkPoseCount(int count) throws InvalidAnnotationException {
        if (kptShape.isEmpty()) {
            if (count <= 5 || (count - 5) % 3 != 0) {
                throw new InvalidAnnotationException(count + " values; a pose row is class cx cy w h and then"
                        + " x y visibility per keypoint");
            }
            kptShape = List.of((count - 5) / 3, 3);
            return;
        }
        int expected = 5 + kptShape.get(0) * kptShape.get(1);
        if (count != expected) {
            throw new InvalidAnnotationException(count + " values; kpt_shape " + kptShape + " makes a pose row "
                    + expected + " values");
        }
    }

    private static void expectCount(int count, int expected, String shape) throws InvalidAnnotationException {
        if (count != expected) {
            throw new InvalidAnnotationException(
                    count + " values; this task's rows are " + expected + " values (" + shape + ")");
        }
    }

    private void checkClass(double value) throws InvalidAnnotationException {
        if (value != Math.rint(value)) {
            throw new InvalidAnnotationException("class " + value + " is not an integer");
        }
        if (value < 0) {
            throw new InvalidAnnotationException("class " + (long) value + " is negative");
        }
        if (value >= classCount) {
            throw new InvalidAnnotationException("class " + (long) value + " is not below nc=" + classCount
                    + (classCount == 0 ? " (the upload names no classes)" : ""));
        }
    }

    /** Pose rows with 3 values per keypoint carry a visibility (0, 1, 2) after each x y: not a coordinate. */
    private boolean isVisibility(int index) {
        return task == DatasetTask.POSE && index >= 5 && kptShape.get(1) == 3 && (index - 5) % 3 == 2;
    }

    private static double checkVisibility(double value, int index) throws InvalidAnnotationException {
        if (value < 0 || value > 2) {
            throw new InvalidAnnotationException("value " + (index + 1) + " is a keypoint visibility, " + value
                    + " is not within 0..2");
        }
        return value;
    }

    private static double coordinate(double value, int index) throws InvalidAnnotationException {
        if (value < -TOLERANCE || value > 1 + TOLERANCE) {
            throw new InvalidAnnotationException("value " + (index + 1) + " (" + value
                    + ") is a normalised coordinate outside 0..1");
        }
        return Math.min(1.0, Math.max(0.0, value));
    }
}
