package io.visionplatform.gateway.service;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.gateway.Account;
import io.visionplatform.gateway.auth.Principal;
import io.visionplatform.gateway.repository.AccountRepository;
import io.visionplatform.gateway.rest.AccountView;
import io.visionplatform.gateway.rest.CreateAccountRequest;
import io.visionplatform.gateway.rest.NewAccountView;

/** Accounts: created by an admin or on a user's first Keycloak login; the owner of every key and resource. */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);

    private final AccountRepository accounts;
    private final ApiKeyService apiKeys;
    private final Outbox outbox;

    public AccountService(AccountRepository accounts, ApiKeyService apiKeys, Outbox outbox) {
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.outbox = outbox;
    }

    @WithSession
    public Uni<AccountView> get(String accountId) {
        return accounts.findById(accountId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("account", accountId))
                .map(AccountMapper::toView);
    }

    /** An admin creates an account; the answer carries its first key, shown this once. */
    @WithTransaction
    public Uni<NewAccountView> createWithFirstKey(CreateAccountRequest request) {
        return create(request, "user")
                .chain(account -> apiKeys.issueFirstKey(account)
                        .map(key -> new NewAccountView(AccountMapper.toView(account), key)));
    }

    /** The bootstrap admin: its account, and the operator-supplied key recorded for it. */
    @WithTransaction
    public Uni<Void> ensureBootstrapAdmin(String username, String key) {
        return ensureAdmin(username)
                .chain(admin -> apiKeys.ensureKey(admin, key));
    }

    private Uni<Account> create(CreateAccountRequest request, String role) {
        return accounts.findByUsername(request.username())
                .onItem()
                .ifNotNull()
                .failWith(() -> PlatformException.invalidField("username", "is already taken"))
                .replaceWith(() -> newAccount(request.username(), request.email(), request.plan(), role))
                .invoke(account -> {
                    account.customPerMinute = request.customPerMinute();
                    account.customPerDay = request.customPerDay();
                })
                .call(accounts::persist)
                .call(this::announce);
    }

    /** The account of a Keycloak user, created on their first login with a username derived from the token. */
    @WithTransaction
    public Uni<Principal> principalForOidcUser(String subject, String preferredUsername, String email,
            boolean admin) {
        return accounts.findByOidcSubject(subject)
                .onItem()
                .ifNull()
                .switchTo(() -> createForOidcUser(subject, preferredUsername, email, admin))
                .map(AccountMapper::userPrincipal);
    }

    private Uni<Account> ensureAdmin(String username) {
        return accounts.findByUsername(username)
                .onItem()
                .ifNull()
                .switchTo(() -> {
                    Account admin = newAccount(username, null, "enterprise", "admin");
                    // Unlimited: the operator's own account must never be locked out by rate limits.
                    admin.customPerMinute = 0;
                    admin.customPerDay = 0;
                    LOG.infof("Created bootstrap admin account %s", username);
                    return accounts.persist(admin)
                            .call(this::announce);
                });
    }

    private Uni<Account> createForOidcUser(String subject, String preferredUsername, String email, boolean admin) {
        return freeUsername(usernameFrom(preferredUsername, subject), 1)
                .map(username -> newAccount(username, email, "free", admin ? "admin" : "user"))
                .invoke(account -> account.oidcSubject = subject)
                .call(accounts::persist)
                .call(this::announce);
    }

    private Uni<String> freeUsername(String base, int attempt) {
        String candidate = attempt == 1 ? base : base + "-" + attempt;
        return accounts.findByUsername(candidate)
                .chain(existing -> existing == null ? Uni.createFrom().item(candidate)
                        : freeUsername(base, attempt + 1));
    }

    private Uni<Void> announce(Account account) {
        return outbox.append(Topics.ACCOUNTS, "account.created", account.id, account.id,
                Map.of("username", account.username, "plan", account.plan))
                .replaceWithVoid();
    }

    private static Account newAccount(String username, String email, String plan, String role) {
        Account account = new Account();
        account.id = Ids.newId("account");
        account.username = username;
        account.email = email;
        account.plan = plan == null ? "free" : plan;
        account.role = role;
        account.status = "active";
        account.createdAt = Instant.now();
        return account;
    }

    /** Usernames are lowercase letters, digits and inner dashes (they appear in {@code ul://} URIs). */
    static String usernameFrom(String preferred, String subject) {
        String source = preferred != null && !preferred.isBlank() ? preferred : "user-" + subject;
        String cleaned = source.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^-|-$", "");
        if (cleaned.length() < 2) {
            cleaned = "user-" + cleaned;
        }
        return cleaned.length() > 39 ? cleaned.substring(0, 39).replaceAll("-$", "") : cleaned;
    }
}
