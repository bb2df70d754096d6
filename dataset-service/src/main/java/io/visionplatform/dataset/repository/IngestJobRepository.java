package io.visionplatform.dataset.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.dataset.IngestJob;

@ApplicationScoped
public class IngestJobRepository implements PanacheRepositoryBase<IngestJob, String> {

    public Uni<IngestJob> findOf(String datasetId, String jobId) {
        return find("id = :id and datasetId = :dataset", Parameters.with("id", jobId).and("dataset", datasetId))
                .firstResult();
    }

    public Uni<List<IngestJob>> page(String datasetId, int page, int limit) {
        return find("datasetId", Sort.by("createdAt", Sort.Direction.Descending).and("id"), datasetId)
                .page(Page.of(page - 1, limit))
                .list();
    }

    public Uni<Long> countOf(String datasetId) {
        return count("datasetId", datasetId);
    }

    /** Jobs of the dataset not finished yet, other than {@code exceptJobId}. */
    public Uni<Long> countUnfinished(String datasetId, String exceptJobId) {
        return count("datasetId = :dataset and state in ('queued', 'running') and id <> :job",
                Parameters.with("dataset", datasetId).and("job", exceptJobId));
    }

    /**
     * Takes the oldest job nobody works on: queued, or running with a lapsed lease (its replica died), and never
     * one whose dataset has another job in hand. SKIP LOCKED lets replicas claim side by side.
     */
    public Uni<String> claimNext(Instant now, Instant leaseUntil) {
        return getSession()
                .chain(session -> session.createNativeQuery("""
                        update ingest_job set state = 'running', lease_until = :lease, attempts = attempts + 1,
                               started_at = coalesce(started_at, :now)
                        where id = (
                            select j.id from ingest_job j
                            where (j.state = 'queued' or (j.state = 'running' and j.lease_until < :now))
                              and not exists (
                                  select 1 from ingest_job other
                                  where other.dataset_id = j.dataset_id and other.id <> j.id
                                    and other.state = 'running' and other.lease_until >= :now)
                            order by j.created_at
                            limit 1
                            for update skip locked)
                        returning id
                        """, String.class)
                        .setParameter("now", now)
                        .setParameter("lease", leaseUntil)
                        .getResultList())
                .map(ids -> ids.isEmpty() ? null : ids.get(0));
    }
}
