package io.visionplatform.gateway;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A platform account: the owner of every resource, keyed by id and addressable by username. */
@Entity
public class Account {

    @Id
    public String id;

    @Column(nullable = false, unique = true)
    public String username;

    public String email;

    /** free | pro | enterprise */
    @Column(nullable = false)
    public String plan;

    /** user | admin — what the account itself may do, and so the most its keys can carry. */
    @Column(nullable = false)
    public String role;

    /** active | suspended */
    @Column(nullable = false)
    public String status;

    /** The Keycloak subject of the user this account was created for, if any. */
    @Column(name = "oidc_subject")
    public String oidcSubject;

    /** Enterprise limits; zero or less means unlimited, null means the plan's default. */
    @Column(name = "custom_per_minute")
    public Integer customPerMinute;

    @Column(name = "custom_per_day")
    public Integer customPerDay;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public boolean active() {
        return "active".equals(status);
    }
}
