package io.visionplatform.model.rest;

/** The model an SDK run trains, and where it lives. */
public record RegisteredTrainingModelView(String modelId, String modelSlug, String projectId, String projectSlug) {
}
