package io.visionplatform.dataset.service;

import io.visionplatform.dataset.ingest.DatasetTask;

/**
 * What a worker needs to run a claimed job.
 *
 * @param resumed an earlier attempt ran (its replica died or failed): images it recorded are skipped, not counted
 */
record JobPlan(String jobId, String datasetId, DatasetTask task, String defaultSplit, String stagedFiles,
        boolean resumed) {
}
