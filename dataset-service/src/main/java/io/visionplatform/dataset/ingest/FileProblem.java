package io.visionplatform.dataset.ingest;

/** Why one file of an upload was skipped, e.g. {@code labels/train/a.txt line 3: class 7 is not below nc=2}. */
public record FileProblem(String file, String reason) {
}
