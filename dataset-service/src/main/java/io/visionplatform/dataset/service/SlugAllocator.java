package io.visionplatform.dataset.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.text.Slugs;
import io.visionplatform.dataset.repository.DatasetRepository;

/** Picks the first slug not held by a live dataset of the owner: {@code name}, {@code name-2}, … */
@ApplicationScoped
class SlugAllocator {

    private final DatasetRepository datasets;

    SlugAllocator(DatasetRepository datasets) {
        this.datasets = datasets;
    }

    Uni<String> firstFree(String accountId, String base) {
        return Slugs.firstFree(base, candidate -> datasets.slugTaken(accountId, candidate));
    }
}
