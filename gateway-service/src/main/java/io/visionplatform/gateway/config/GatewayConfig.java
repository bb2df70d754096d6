package io.visionplatform.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "platform.gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by name (datasets, models, training, deployments, billing). */
    Map<String, Upstream> upstreams();

    /** How long the platform health view waits for one service's readiness answer. */
    @WithDefault("3s")
    Duration healthTimeout();

    Keys keys();

    Bootstrap bootstrap();

    Proxy proxy();

    Identity identity();

    interface Upstream {

        /** Base URL of the service, e.g. {@code http://dataset-service:8081}. */
        URI url();
    }

    interface Keys {

        /**
         * Server-side secret of the keyed hash (HMAC-SHA-256) under which API keys are stored. Every gateway
         * replica must share it; changing it invalidates every key.
         */
        String hmacSecret();

        /** How long a verified key is trusted without asking the database again; revocation takes at most this. */
        @WithDefault("500ms")
        Duration cacheTtl();
    }

    interface Bootstrap {

        /**
         * When set, the gateway makes sure an admin account exists that this key authenticates (the local stack
         * generates one and prints it). Must have the SDK's key format.
         */
        Optional<String> adminKey();

        @WithDefault("admin")
        String adminUsername();
    }

    interface Proxy {

        @WithDefault("2s")
        Duration connectTimeout();

        /** Longest silence from an upstream before the gateway gives up on a request. */
        @WithDefault("120s")
        Duration idleTimeout();
    }

    /** The key that signs the internal identity tokens services trust (they read it from our JWKS). */
    interface Identity {

        /** Lifetime of the token minted for each forwarded request. */
        @WithDefault("60s")
        Duration ttl();

        /**
         * PKCS#8 PEM of an EC P-256 key, shared by every replica in a scaled deployment. Without it each
         * gateway signs with a key generated at start (fine for one replica: services refetch the JWKS).
         */
        Optional<String> privateKey();

        /** X.509 PEM of the matching public key; required with {@link #privateKey()}. */
        Optional<String> publicKey();
    }
}
