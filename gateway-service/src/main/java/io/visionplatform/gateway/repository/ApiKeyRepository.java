package io.visionplatform.gateway.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.visionplatform.gateway.ApiKey;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    /** A key that authenticates: not revoked and not expired. */
    public Uni<ApiKey> findActiveByHash(String secretHash) {
        return find("secretHash = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2)", secretHash,
                Instant.now()).firstResult();
    }

    /** The active key issued for a training run, by its own id. */
    public Uni<ApiKey> findActiveRunKey(String keyId, String runId) {
        return find("id = ?1 and runId = ?2 and revokedAt is null", keyId, runId).firstResult();
    }

    public Uni<List<ApiKey>> listActive(String accountId) {
        return list("accountId = ?1 and revokedAt is null", Sort.by("createdAt").descending(), accountId);
    }

    public Uni<ApiKey> findActive(String accountId, String keyId) {
        return find("id = ?1 and accountId = ?2 and revokedAt is null", keyId, accountId).firstResult();
    }

    public Uni<Integer> touch(String keyId, Instant usedAt) {
        return update("lastUsedAt = ?1 where id = ?2", usedAt, keyId);
    }
}
