package io.visionplatform.common.identity;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.visionplatform.common.error.PlatformException;

/**
 * Verifies internal identity tokens against the gateway's keys: a statically configured public key and/or the
 * gateway's JWKS. The JWKS is fetched lazily with the Vert.x web client (never blocking), cached, and fetched
 * again, at most once per refetch interval, when a token names a key id not seen yet; concurrent requests
 * share one fetch.
 */
@Startup
@ApplicationScoped
public class GatewayIdentityVerifier implements InternalIdentityVerifier {

    private static final Logger LOG = Logger.getLogger(GatewayIdentityVerifier.class);

    private final Map<String, ECPublicKey> staticKeys;
    private final Supplier<Uni<String>> jwksSource;
    private final Duration skew;
    private final long refetchIntervalNanos;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Vertx vertx;
    private final Object lock = new Object();

    private volatile Map<String, ECPublicKey> jwksKeys = Map.of();
    /**
     * Tokens already verified, remembered briefly: the gateway reuses a caller's token for 30 s, and an ECDSA
     * verification costs more than the rest of a small request. Ten seconds stays inside the 30 s clock skew
     * that verification tolerates anyway.
     */
    private final Map<String, VerifiedToken> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private record VerifiedToken(InternalIdentity identity, long validUntilNanos) {
    }

    private static final long REMEMBER_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int REMEMBER_LIMIT = 10_000;
    private Uni<Void> inFlight;
    private boolean fetched;
    private long lastFetchNanos;
    private WebClient client;

    @Inject
    public GatewayIdentityVerifier(IdentityConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.staticKeys = staticKeys(config.publicKey());
        this.jwksSource = config.jwksUrl()
                .filter(url -> !url.isBlank())
                .<Supplier<Uni<String>>> map(url -> () -> fetch(url, config.jwksTimeout()))
                .orElse(null);
        this.skew = config.skew();
        this.refetchIntervalNanos = config.jwksRefetchInterval().toNanos();
        this.clock = Clock.systemUTC();
        this.nanoTime = System::nanoTime;
    }

    /** For unit tests: any JWKS source, clock and ticker. */
    GatewayIdentityVerifier(Optional<String> publicKey, Supplier<Uni<String>> jwksSource, Duration skew,
            Duration refetchInterval, Clock clock, LongSupplier nanoTime) {
        this.vertx = null;
        this.staticKeys = staticKeys(publicKey);
        this.jwksSource = jwksSource;
        this.skew = skew;
        this.refetchIntervalNanos = refetchInterval.toNanos();
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    @Override
    public Uni<InternalIdentity> verify(String token) {
        return Uni.createFrom().deferred(() -> {
            String kid = InternalTokens.keyId(token);
            if (jwksSource == null || staticKeys.containsKey(kid) || jwksKeys.containsKey(kid)) {
                return Uni.createFrom().item(verifyWithKnownKeys(token));
            }
            return refresh().map(ignored -> verifyWithKnownKeys(token));
        });
    }

    private InternalIdentity verifyWithKnownKeys(String token) {
        VerifiedToken remembered = verified.get(token);
        long now = nanoTime.getAsLong();
        if (remembered != null && remembered.validUntilNanos() - now > 0) {
            return remembered.identity();
        }
        Map<String, ECPublicKey> jwks = jwksKeys;
        KeyResolver keys = kid -> Optional.ofNullable(staticKeys.get(kid)).or(() -> Optional.ofNullable(jwks.get(kid)));
        InternalIdentity identity = InternalTokens.verify(token, keys, clock, skew);
        if (verified.size() >= REMEMBER_LIMIT) {
            verified.clear();
        }
        verified.put(token, new VerifiedToken(identity, now + REMEMBER_NANOS));
        return identity;
    }

    /** One shared fetch at a time, and none sooner than the refetch interval after the previous one. */
    private Uni<Void> refresh() {
        synchronized (lock) {
            if (inFlight != null) {
                return inFlight;
            }
            long now = nanoTime.getAsLong();
            if (fetched && now - lastFetchNanos < refetchIntervalNanos) {
                return Uni.createFrom().voidItem();
            }
            fetched = true;
            lastFetchNanos = now;
            Uni<Void> fetch = jwksSource.get()
                    .map(InternalTokens::parseJwks)
                    .invoke(this::replaceKeys)
                    .onFailure()
                    .invoke(failure -> LOG.warnf("Could not fetch the gateway's JWKS: %s", failure.toString()))
                    .onFailure()
                    .transform(failure -> PlatformException.unavailable("The gateway's identity keys are unavailable"))
                    .replaceWithVoid()
                    .onTermination()
                    .invoke(this::fetchDone)
                    .memoize()
                    .indefinitely();
            inFlight = fetch;
            return fetch;
        }
    }

    private void replaceKeys(Map<String, ECPublicKey> keys) {
        jwksKeys = Map.copyOf(keys);
        LOG.debugf("Fetched %d identity key(s) from the gateway's JWKS", keys.size());
    }

    private void fetchDone() {
        synchronized (lock) {
            inFlight = null;
        }
    }

    private Uni<String> fetch(String url, Duration timeout) {
        return client().getAbs(url)
                .timeout(timeout.toMillis())
                .send()
                .map(GatewayIdentityVerifier::body);
    }

    private static String body(HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("JWKS answered HTTP " + response.statusCode());
        }
        return response.bodyAsString();
    }

    private WebClient client() {
        synchronized (lock) {
            if (client == null) {
                client = WebClient.create(vertx);
            }
            return client;
        }
    }

    @PreDestroy
    void close() {
        synchronized (lock) {
            if (client != null) {
                client.close();
            }
        }
    }

    private static Map<String, ECPublicKey> staticKeys(Optional<String> publicKey) {
        Map<String, ECPublicKey> keys = new HashMap<>();
        publicKey.filter(pem -> !pem.isBlank()).ifPresent(pem -> {
            ECPublicKey key;
            try {
                key = IdentityKeys.readPublicKeyPem(pem);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("platform.identity.public-key: " + e.getMessage());
            }
            keys.put(IdentityKeys.thumbprint(key), key);
        });
        return Map.copyOf(keys);
    }
}
