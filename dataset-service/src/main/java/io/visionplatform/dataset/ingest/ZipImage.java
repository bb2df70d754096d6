package io.visionplatform.dataset.ingest;

/** An archive image whose header passed the scan-time probe. */
record ZipImage(ZipArchive.Item item, int width, int height) {

    /** Its path in the dataset, the archive's common top folder stripped. */
    String path() {
        return item.path();
    }

    String fileName() {
        return UploadPaths.baseName(item.path());
    }
}
