package io.visionplatform.model.service;

/** Where a model's objects live: everything under {@code models/{id}/}, so the purge deletes one prefix. */
final class ObjectKeys {

    private ObjectKeys() {
    }

    static String modelPrefix(String modelId) {
        return "models/" + modelId + "/";
    }

    /** The SDK names its local copy after the last path segment: it keeps the format's extension ({@code .pt}). */
    static String weights(String modelId, String slug, String extension) {
        return modelPrefix(modelId) + "weights/" + slug + "." + extension;
    }
}
