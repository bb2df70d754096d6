package io.visionplatform.dataset.ingest;

import java.net.URI;
import java.nio.file.Path;

/** Where the bytes of one scanned image are. */
public sealed interface ImageSource {

    /** An entry of a zip archive on local disk. */
    record ZipEntrySource(Path zip, String entryName) implements ImageSource {
    }

    /** A plain file on local disk (a single uploaded image). */
    record LocalFileSource(Path path) implements ImageSource {
    }

    /** An http(s) URL named by an NDJSON image record; fetched by the ingest worker, not by the scanner. */
    record RemoteUrlSource(URI url) implements ImageSource {
    }
}
