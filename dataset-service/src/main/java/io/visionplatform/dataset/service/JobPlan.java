package io.visionplatform.dataset.service;

import io.visionplatform.dataset.ingest.DatasetTask;

/** What a worker needs to run a claimed job. */
record JobPlan(String jobId, String datasetId, DatasetTask task, String defaultSplit, String stagedFiles) {
}
