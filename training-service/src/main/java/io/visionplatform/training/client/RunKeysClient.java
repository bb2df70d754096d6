package io.visionplatform.training.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.visionplatform.training.config.TrainingConfig;

/**
 * Run-scoped API keys from the gateway: issued for the caller's account when a managed run starts (scopes
 * {@code training} and {@code models}, expiring), and revoked by the key itself when the run is over.
 */
@ApplicationScoped
public class RunKeysClient {

    private final ServiceCalls calls;
    private final URI gateway;
    private final Duration ttl;

    public RunKeysClient(ServiceCalls calls, TrainingConfig config) {
        this.calls = calls;
        this.gateway = config.services().gatewayUrl();
        this.ttl = config.runKeyTtl();
    }

    public Uni<RunKey> issue(String identityToken, String runId) {
        return calls.call("POST", gateway.resolve("/internal/run-keys"), identityToken,
                Map.of("runId", runId, "ttlSeconds", ttl.toSeconds()))
                .map(body -> new RunKey(body.path("id").asText(), body.path("key").asText()));
    }

    /** The key revokes itself: nothing else is needed to call this after the caller's request is long gone. */
    public Uni<Void> revoke(String runId, String key) {
        return calls.callWithKey("DELETE", gateway.resolve("/internal/run-keys/" + runId), key, null)
                .replaceWithVoid();
    }

    public record RunKey(String id, String key) {
    }
}
