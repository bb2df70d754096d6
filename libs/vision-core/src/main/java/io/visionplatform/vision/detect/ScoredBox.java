package io.visionplatform.vision.detect;

/** A candidate box in model-input pixels (corners), with its best class and that class's score. */
public record ScoredBox(float x1, float y1, float x2, float y2, float score, int classId) {
}
