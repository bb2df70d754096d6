package io.visionplatform.dataset.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.dataset.DatasetExport;

@ApplicationScoped
public class DatasetExportRepository implements PanacheRepositoryBase<DatasetExport, String> {

    /** The dataset's newest version, or null before its first export. */
    public Uni<DatasetExport> latest(String datasetId) {
        return find("datasetId", Sort.by("version", Sort.Direction.Descending), datasetId)
                .firstResult();
    }

    public Uni<List<DatasetExport>> listOf(String datasetId) {
        return list("datasetId", Sort.by("version", Sort.Direction.Descending), datasetId);
    }
}
