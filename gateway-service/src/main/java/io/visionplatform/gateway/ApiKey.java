package io.visionplatform.gateway;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An API key; only its keyed hash and display prefix are stored, never the secret. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String name;

    /** Space-separated scope names. */
    @Column(nullable = false)
    public String scopes;

    @Column(name = "display_prefix", nullable = false)
    public String displayPrefix;

    /** HMAC-SHA-256 of the key under the server-side secret, hex. */
    @Column(name = "secret_hash", nullable = false, unique = true)
    public String secretHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Set on a run-scoped key: the training run it was issued for. */
    @Column(name = "run_id")
    public String runId;

    /** After this the key no longer authenticates (run-scoped keys); null: never expires. */
    @Column(name = "expires_at")
    public Instant expiresAt;
}
