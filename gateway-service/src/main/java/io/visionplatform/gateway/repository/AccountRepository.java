package io.visionplatform.gateway.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.visionplatform.gateway.Account;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, String> {

    public Uni<Account> findByUsername(String username) {
        return find("username", username).firstResult();
    }

    public Uni<Account> findByOidcSubject(String subject) {
        return find("oidcSubject", subject).firstResult();
    }
}
