package io.visionplatform.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A project groups an account's models (the SDK's {@code project=user/slug}). */
@Entity
public class Project {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    /** Kept so {@code ul://{username}/{project}/{model}} resolves without asking the gateway. */
    @Column(name = "owner_username", nullable = false)
    public String ownerUsername;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String slug;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Set when moved to the trash; kept 30 days. */
    @Column(name = "deleted_at")
    public Instant deletedAt;
}
