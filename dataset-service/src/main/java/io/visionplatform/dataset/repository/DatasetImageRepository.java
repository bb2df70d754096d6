package io.visionplatform.dataset.repository;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.dataset.DatasetImage;

@ApplicationScoped
public class DatasetImageRepository implements PanacheRepositoryBase<DatasetImage, Long> {

    /** Images of the dataset already holding one of these content hashes. */
    public Uni<List<DatasetImage>> findByHashes(String datasetId, Collection<String> hashes) {
        return list("datasetId = :dataset and contentHash in :hashes",
                Parameters.with("dataset", datasetId).and("hashes", hashes));
    }

    /** Which of these file names the dataset already uses. */
    public Uni<List<String>> takenFileNames(String datasetId, Collection<String> fileNames) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                        "select i.fileName from DatasetImage i where i.datasetId = :dataset and i.fileName in :names",
                        String.class)
                        .setParameter("dataset", datasetId)
                        .setParameter("names", fileNames)
                        .getResultList());
    }

    /** How many images, and how many bytes, one ingest job has recorded so far. */
    public Uni<AddedImages> addedBy(String ingestJobId) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                        "select count(*), coalesce(sum(i.bytes), 0) from DatasetImage i where i.ingestJobId = :job",
                        Object[].class)
                        .setParameter("job", ingestJobId)
                        .getSingleResult())
                .map(row -> new AddedImages(((Number) row[0]).longValue(), ((Number) row[1]).longValue()));
    }

    public record AddedImages(long count, long bytes) {
    }

    public Uni<List<DatasetImage>> page(String datasetId, String split, int page, int limit) {
        return (split == null
                ? find("datasetId", Sort.by("seq"), datasetId)
                : find("datasetId = :dataset and split = :split", Sort.by("seq"),
                        Parameters.with("dataset", datasetId).and("split", split)))
                .page(Page.of(page - 1, limit))
                .list();
    }

    public Uni<Long> countIn(String datasetId, String split) {
        return split == null
                ? count("datasetId", datasetId)
                : count("datasetId = :dataset and split = :split", Parameters.with("dataset", datasetId).and("split", split));
    }

    /** Up to {@code limit} images of a version, after {@code afterSeq}, in order: exports page through them. */
    public Uni<List<DatasetImage>> versionSlice(String datasetId, long afterSeq, long seqMax, int limit) {
        return find("datasetId = :dataset and seq > :after and seq <= :max", Sort.by("seq"),
                Parameters.with("dataset", datasetId).and("after", afterSeq).and("max", seqMax))
                .page(Page.ofSize(limit))
                .list();
    }

    /** Bytes of the dataset's images up to {@code seqMax}. */
    public Uni<Long> bytesUpTo(String datasetId, long seqMax) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                        "select coalesce(sum(i.bytes), 0) from DatasetImage i where i.datasetId = :dataset and i.seq <= :max",
                        Long.class)
                        .setParameter("dataset", datasetId)
                        .setParameter("max", seqMax)
                        .getSingleResult());
    }

    /** The newest image's seq, 0 for an empty dataset. */
    public Uni<Long> maxSeq(String datasetId) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                        "select coalesce(max(i.seq), 0) from DatasetImage i where i.datasetId = :dataset", Long.class)
                        .setParameter("dataset", datasetId)
                        .getSingleResult());
    }
}
