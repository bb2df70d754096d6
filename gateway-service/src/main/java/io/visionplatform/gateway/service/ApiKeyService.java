package io.visionplatform.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;
import io.visionplatform.gateway.Account;
import io.visionplatform.gateway.ApiKey;
import io.visionplatform.gateway.auth.ApiKeyCrypto;
import io.visionplatform.gateway.auth.Principal;
import io.visionplatform.gateway.auth.Scopes;
import io.visionplatform.gateway.config.GatewayConfig;
import io.visionplatform.gateway.repository.AccountRepository;
import io.visionplatform.gateway.repository.ApiKeyRepository;
import io.visionplatform.gateway.rest.ApiKeyView;
import io.visionplatform.gateway.rest.CreateApiKeyRequest;
import io.visionplatform.gateway.rest.RunKeyView;

/**
 * API keys: issued once in full, stored as a keyed hash, verified on every request. A verified key is
 * remembered for {@code platform.gateway.keys.cache-ttl} (500 ms), which bounds how long a revoked key
 * keeps working on another gateway replica.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final int CACHE_LIMIT = 10_000;
    /** lastUsedAt is a hint for people, not an audit log: written at most once a minute per key. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;
    private final AccountRepository accounts;
    private final ApiKeyCrypto crypto;
    private final Outbox outbox;
    private final long cacheTtlNanos;
    private final Map<String, CachedPrincipal> verified = new ConcurrentHashMap<>();

    private record CachedPrincipal(Principal principal, long expiresAtNanos) {
    }

    public ApiKeyService(ApiKeyRepository keys, AccountRepository accounts, ApiKeyCrypto crypto, Outbox outbox,
            GatewayConfig config) {
        this.keys = keys;
        this.accounts = accounts;
        this.crypto = crypto;
        this.outbox = outbox;
        this.cacheTtlNanos = config.keys().cacheTtl().toNanos();
    }

    @WithTransaction
    public Uni<ApiKeyView> create(Principal owner, CreateApiKeyRequest request) {
        Set<String> requested = new HashSet<>(request.scopes());
        Set<String> grantable = new HashSet<>(Scopes.grantableBy(owner.role()));
        if (!grantable.containsAll(requested)) {
            requested.removeAll(grantable);
            throw PlatformException.forbidden("Your account cannot grant these scopes: " + String.join(", ", requested));
        }
        return issue(owner.accountId(), request.name(), requested);
    }

    @WithSession
    public Uni<List<ApiKeyView>> list(String accountId) {
        return keys.listActive(accountId)
                .map(list -> list.stream()
                        .map(key -> AccountMapper.toView(key, null))
                        .toList());
    }

    @WithTransaction
    public Uni<Void> revoke(String accountId, String keyId) {
        return keys.findActive(accountId, keyId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("api key", keyId))
                .invoke(key -> key.revokedAt = Instant.now())
                .invoke(key -> verified.remove(key.secretHash))
                .call(key -> outbox.append(Topics.ACCOUNTS, "api-key.revoked", accountId, key.id, Map.of("name", key.name)))
                .replaceWithVoid();
    }

    /**
     * A key for one training run of the caller's account: scopes {@code training} and {@code models} only (what a
     * trainer needs to report and upload), expiring after {@code ttl}. Its secret is answered once.
     */
    @WithTransaction
    public Uni<RunKeyView> issueRunKey(String accountId, String runId, Duration ttl) {
        String secret = crypto.newKey();
        ApiKey key = newKey(accountId, "training run " + runId, Set.of(Scopes.TRAINING, Scopes.MODELS), secret);
        key.runId = runId;
        key.expiresAt = Instant.now().plus(ttl);
        return accounts.findById(accountId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("account", accountId))
                .chain(() -> keys.persist(key))
                .call(saved -> outbox.append(Topics.ACCOUNTS, "api-key.created", accountId, saved.id,
                        Map.of("name", key.name, "scopes", key.scopes, "runId", runId)))
                .map(saved -> new RunKeyView(saved.id, secret, runId, saved.expiresAt));
    }

    /** A run key revokes itself when its run is over; another key, or another run's, cannot. */
    @WithTransaction
    public Uni<Void> revokeRunKey(Principal presenter, String runId) {
        if (presenter.keyId() == null) {
            return Uni.createFrom().failure(PlatformException.forbidden("Only the run's own key can end it"));
        }
        return keys.findActiveRunKey(presenter.keyId(), runId)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("run key", runId))
                .invoke(key -> key.revokedAt = Instant.now())
                .invoke(key -> verified.remove(key.secretHash))
                .call(key -> outbox.append(Topics.ACCOUNTS, "api-key.revoked", key.accountId, key.id,
                        Map.of("name", key.name, "runId", runId)))
                .replaceWithVoid();
    }

    /** The principal an API key stands for; fails UNAUTHORIZED for unknown, revoked or malformed keys. */
    public Uni<Principal> authenticate(String presentedKey) {
        if (!ApiKeyCrypto.hasKeyFormat(presentedKey)) {
            return Uni.createFrom().failure(PlatformException.unauthorized("Invalid API key"));
        }
        String hash = crypto.hash(presentedKey);
        CachedPrincipal cached = verified.get(hash);
        if (cached != null && cached.expiresAtNanos() > System.nanoTime()) {
            return Uni.createFrom().item(cached.principal());
        }
        return Panache.withTransaction(() -> lookUp(hash))
                .invoke(principal -> remember(hash, principal));
    }

    /** The bootstrap admin's key, recorded under its hash if it is not already (idempotent across restarts). */
    @WithTransaction
    public Uni<Void> ensureKey(Account account, String presentedKey) {
        String hash = crypto.hash(presentedKey);
        return keys.findActiveByHash(hash)
                .onItem()
                .ifNull()
                .switchTo(() -> keys.persist(newKey(account.id, "bootstrap", Set.copyOf(Scopes.ALL), presentedKey)))
                .replaceWithVoid();
    }

    private Uni<Principal> lookUp(String hash) {
        return keys.findActiveByHash(hash)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.unauthorized("Invalid or revoked API key"))
                .chain(key -> accounts.findById(key.accountId)
                        .onItem()
                        .ifNull()
                        .failWith(() -> PlatformException.unauthorized("Invalid API key"))
                        .invoke(account -> {
                            if (!account.active()) {
                                throw PlatformException.unauthorized("Account is " + account.status);
                            }
                        })
                        .call(account -> touch(key))
                        .map(account -> AccountMapper.keyPrincipal(account, key)));
    }

    private Uni<ApiKeyView> issue(String accountId, String name, Set<String> scopes) {
        String secret = crypto.newKey();
        ApiKey key = newKey(accountId, name, scopes, secret);
        return keys.persist(key)
                .call(saved -> outbox.append(Topics.ACCOUNTS, "api-key.created", accountId, saved.id,
                        Map.of("name", name, "scopes", Scopes.join(scopes))))
                .map(saved -> AccountMapper.toView(saved, secret));
    }

    /** Issues a key for a new account (admin account creation); runs inside the caller's transaction. */
    public Uni<ApiKeyView> issueFirstKey(Account account) {
        return issue(account.id, "default", Scopes.grantableBy(account.role));
    }

    private ApiKey newKey(String accountId, String name, Set<String> scopes, String secret) {
        ApiKey key = new ApiKey();
        key.id = Ids.newId("key");
        key.accountId = accountId;
        key.name = name;
        key.scopes = Scopes.join(scopes);
        key.displayPrefix = ApiKeyCrypto.displayPrefix(secret);
        key.secretHash = crypto.hash(secret);
        key.createdAt = Instant.now();
        return key;
    }

    private Uni<Integer> touch(ApiKey key) {
        Instant now = Instant.now();
        if (key.lastUsedAt != null && key.lastUsedAt.isAfter(now.minus(TOUCH_INTERVAL))) {
            return Uni.createFrom().item(0);
        }
        return keys.touch(key.id, now);
    }

    private void remember(String hash, Principal principal) {
        if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(hash, new CachedPrincipal(principal, System.nanoTime() + cacheTtlNanos));
    }
}
