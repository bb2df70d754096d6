package io.visionplatform.dataset.ingest;

import java.nio.file.Path;

/** One file of an upload, saved to local disk: the client's file name and where its bytes are. */
public record UploadedFile(String fileName, Path path) {
}
