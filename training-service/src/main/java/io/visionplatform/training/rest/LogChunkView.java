package io.visionplatform.training.rest;

import java.time.Instant;

/** One chunk of a run's console output, in the order the trainer numbered them. */
public record LogChunkView(int chunkId, String content, int lineCount, Instant receivedAt) {
}
