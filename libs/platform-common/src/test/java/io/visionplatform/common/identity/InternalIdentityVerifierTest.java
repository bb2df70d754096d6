package io.visionplatform.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;

/** The verifier bean's key handling, without Quarkus: static key, lazy JWKS, rate-limited refetch. */
class InternalIdentityVerifierTest {

    private static final Duration TTL = Duration.ofMinutes(1);
    private static final InternalIdentity DAVE = new InternalIdentity("account_d", "dave", "free", Set.of("read"), "req_d");

    private final SigningKey first = SigningKey.generate();
    private final SigningKey second = SigningKey.generate();
    private final AtomicLong ticker = new AtomicLong(1_000_000_000L);
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<List<PublicKeyWithKid>> published = new AtomicReference<>(new ArrayList<>());

    private final Supplier<Uni<String>> jwks = () -> {
        fetches.incrementAndGet();
        return Uni.createFrom().item(InternalTokens.jwksJson(published.get()));
    };

    @Test
    void staticPublicKeyVerifiesWithoutAnyFetch() {
        String pem = IdentityKeys.publicKeyPem(first.publicKey());
        GatewayIdentityVerifier verifier = verifier(Optional.of(pem), null);

        assertThat(verify(verifier, InternalTokens.sign(DAVE, TTL, first))).isEqualTo(DAVE);
        assertUnauthorized(verifier, InternalTokens.sign(DAVE, TTL, second), "unknown key");
    }

    @Test
    void jwksIsFetchedLazilyOnceAndCached() {
        published.set(List.of(first.publicKeyWithKid()));
        GatewayIdentityVerifier verifier = verifier(Optional.empty(), jwks);
        assertThat(fetches).hasValue(0);

        assertThat(verify(verifier, InternalTokens.sign(DAVE, TTL, first))).isEqualTo(DAVE);
        assertThat(verify(verifier, InternalTokens.sign(DAVE, TTL, first))).isEqualTo(DAVE);

        assertThat(fetches).hasValue(1);
    }

    @Test
    void unknownKidRefetchesAtMostOncePerInterval() {
        published.set(List.of(first.publicKeyWithKid()));
        GatewayIdentityVerifier verifier = verifier(Optional.empty(), jwks);
        verify(verifier, InternalTokens.sign(DAVE, TTL, first));
        // the gateway restarts with a new key
        published.set(List.of(second.publicKeyWithKid()));
        String fromRestartedGateway = InternalTokens.sign(DAVE, TTL, second);

        ticker.addAndGet(Duration.ofSeconds(1).toNanos());
        assertUnauthorized(verifier, fromRestartedGateway, "unknown key");
        assertUnauthorized(verifier, InternalTokens.sign(DAVE, TTL, SigningKey.generate()), "unknown key");
        assertThat(fetches).hasValue(1);

        ticker.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(verify(verifier, fromRestartedGateway)).isEqualTo(DAVE);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void concurrentRequestsShareOneFetch() {
        CompletableFuture<String> response = new CompletableFuture<>();
        GatewayIdentityVerifier verifier = verifier(Optional.empty(), () -> {
            fetches.incrementAndGet();
            return Uni.createFrom().completionStage(response);
        });
        String token = InternalTokens.sign(DAVE, TTL, first);

        UniAssertSubscriber<InternalIdentity> a = verifier.verify(token).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<InternalIdentity> b = verifier.verify(token).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        response.complete(InternalTokens.jwksJson(List.of(first.publicKeyWithKid())));

        a.awaitItem().assertItem(DAVE);
        b.awaitItem().assertItem(DAVE);
        assertThat(fetches).hasValue(1);
    }

    @Test
    void unreachableJwksAnswersUnavailableAndIsNotHammered() {
        GatewayIdentityVerifier verifier = verifier(Optional.empty(), () -> {
            fetches.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("connection refused"));
        });
        String token = InternalTokens.sign(DAVE, TTL, first);

        assertThatThrownBy(() -> verify(verifier, token)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.status()).isEqualTo(503));
        assertUnauthorized(verifier, token, "unknown key");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void malformedTokensFailBeforeAnyFetch() {
        GatewayIdentityVerifier verifier = verifier(Optional.empty(), jwks);

        assertUnauthorized(verifier, "garbage", "compact JWS");
        assertUnauthorized(verifier, "e30.e30." + Base64.getUrlEncoder().encodeToString(new byte[3]), "algorithm");
        assertThat(fetches).hasValue(0);
    }

    private GatewayIdentityVerifier verifier(Optional<String> publicKey, Supplier<Uni<String>> source) {
        return new GatewayIdentityVerifier(publicKey, source, InternalTokens.DEFAULT_SKEW, Duration.ofSeconds(5),
                Clock.systemUTC(), ticker::get);
    }

    private static InternalIdentity verify(GatewayIdentityVerifier verifier, String token) {
        return verifier.verify(token).await().atMost(Duration.ofSeconds(5));
    }

    private static void assertUnauthorized(GatewayIdentityVerifier verifier, String token, String message) {
        assertThatThrownBy(() -> verify(verifier, token)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED))
                .hasMessageContaining(message);
    }
}
