package io.visionplatform.model.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One detection, in the original image's pixels. */
public record PredictionView(
        @JsonProperty("class") String className,
        int classId,
        double confidence,
        Box box) {

    public record Box(double x1, double y1, double x2, double y2) {
    }
}
