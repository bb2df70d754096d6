package io.visionplatform.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "platform.gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by name (datasets, models, training, deployments, billing). */
    Map<String, Upstream> upstreams();

    /** How long the platform health view waits for one service's readiness answer. */
    @WithDefault("3s")
    Duration healthTimeout();

    interface Upstream {

        /** Base URL of the service, e.g. {@code http://dataset-service:8081}. */
        URI url();
    }
}
