package io.visionplatform.dataset.service;

/**
 * Where a dataset's objects live in the bucket. Everything of one dataset sits under {@code datasets/{id}/}, so the
 * purge deletes one prefix; images are named by content hash, so each distinct image is stored once per dataset.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String datasetPrefix(String datasetId) {
        return "datasets/" + datasetId + "/";
    }

    public static String image(String datasetId, String contentHash, String extension) {
        return datasetPrefix(datasetId) + "images/" + contentHash + "." + extension;
    }

    public static String thumbnail(String datasetId, String contentHash) {
        return datasetPrefix(datasetId) + "thumbnails/" + contentHash + ".jpg";
    }

    public static String stagedUpload(String datasetId, String jobId, int index, String fileName) {
        return uploadPrefix(datasetId, jobId) + index + "-" + safeFileName(fileName);
    }

    /** A client's file name reduced to characters safe in object keys and local paths. */
    static String safeFileName(String fileName) {
        return fileName.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public static String uploadPrefix(String datasetId, String jobId) {
        return datasetPrefix(datasetId) + "uploads/" + jobId + "/";
    }

    /** The SDK names its local copy after the last path segment, which therefore ends in {@code .ndjson}. */
    public static String export(String datasetId, int version, String slug) {
        return datasetPrefix(datasetId) + "exports/v" + version + "/" + exportFileName(slug, version);
    }

    public static String exportFileName(String slug, int version) {
        return slug + "-v" + version + ".ndjson";
    }
}
