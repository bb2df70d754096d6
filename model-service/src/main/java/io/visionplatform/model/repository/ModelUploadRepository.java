package io.visionplatform.model.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.model.ModelUpload;

@ApplicationScoped
public class ModelUploadRepository implements PanacheRepositoryBase<ModelUpload, String> {

    /** The oldest uploads still waiting for their object, at most {@code limit}. */
    public Uni<List<ModelUpload>> pending(int limit) {
        return find("state = 'pending'", Sort.by("createdAt"))
                .page(Page.ofSize(limit))
                .list();
    }
}
