package io.visionplatform.model.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.model.ModelFile;

@ApplicationScoped
public class ModelFileRepository implements PanacheRepositoryBase<ModelFile, String> {

    public Uni<List<ModelFile>> listOf(String modelId) {
        return list("modelId", Sort.by("createdAt"), modelId);
    }

    /** The model's newest weights file, or null while it has none. */
    public Uni<ModelFile> weightsOf(String modelId) {
        return find("modelId = :model and kind = 'weights'", Sort.by("createdAt", Sort.Direction.Descending),
                Parameters.with("model", modelId))
                .firstResult();
    }

    /** The model's newest {@code .pt} weights (what the SDK downloads), or null. */
    public Uni<ModelFile> ptWeightsOf(String modelId) {
        return find("modelId = :model and kind = 'weights' and format = 'pt'",
                Sort.by("createdAt", Sort.Direction.Descending), Parameters.with("model", modelId))
                .firstResult();
    }
}
