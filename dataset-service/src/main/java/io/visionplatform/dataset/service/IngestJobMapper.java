package io.visionplatform.dataset.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.dataset.IngestJob;
import io.visionplatform.dataset.rest.IngestJobView;

@ApplicationScoped
public class IngestJobMapper {

    private final StoredJson json;

    public IngestJobMapper(StoredJson json) {
        this.json = json;
    }

    public IngestJobView toView(IngestJob job) {
        return new IngestJobView(job.id, job.datasetId, job.state, job.format, job.total, job.processed, job.added,
                job.duplicates, job.failed, job.addedBytes, json.problems(job.problems), job.message, job.createdAt,
                job.startedAt, job.finishedAt);
    }
}
