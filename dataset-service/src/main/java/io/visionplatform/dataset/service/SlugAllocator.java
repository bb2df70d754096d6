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
        return firstFree(accountId, base, 1);
    }

    private Uni<String> firstFree(String accountId, String base, int attempt) {
        String candidate = Slugs.candidate(base, attempt);
        return datasets.slugTaken(accountId, candidate)
                .chain(taken -> taken ? firstFree(accountId, base, attempt + 1) : Uni.createFrom().item(candidate));
    }
}
