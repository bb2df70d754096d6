package io.visionplatform.dataset.service;

import java.util.List;

import io.visionplatform.dataset.ingest.FileProblem;

/** What became of one scanned image: stored in the bucket and ready to be recorded, or skipped with a reason. */
sealed interface IngestOutcome {

    /** Stored under its content hash; the row is written by {@link IngestRecorder#recordBatch}. */
    record Stored(String file, String split, String contentHash, String contentType, String objectKey,
            String thumbnailKey, int width, int height, long bytes, List<List<Double>> annotations) implements IngestOutcome {
    }

    record Skipped(FileProblem problem) implements IngestOutcome {
    }

    /** The dataset already holds these bytes (from another upload): nothing is stored again. */
    record Duplicate(String contentHash) implements IngestOutcome {
    }

    /** Recorded by an earlier attempt of this same job (it was resumed): already counted. */
    record AlreadyRecorded(String contentHash) implements IngestOutcome {
    }
}
