package io.visionplatform.gateway.service;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visionplatform.gateway.client.UpstreamClient;
import io.visionplatform.gateway.config.GatewayConfig;
import io.visionplatform.gateway.rest.PlatformHealth;
import io.visionplatform.gateway.rest.ServiceHealth;

/** The platform's health as the gateway sees it: its own readiness plus each upstream's, checked in parallel. */
@ApplicationScoped
public class PlatformHealthService {

    private static final String GATEWAY = "gateway";

    private final GatewayConfig config;
    private final UpstreamClient upstreams;
    private final SmallRyeHealthReporter reporter;

    public PlatformHealthService(GatewayConfig config, UpstreamClient upstreams,
            SmallRyeHealthReporter reporter) {
        this.config = config;
        this.upstreams = upstreams;
        this.reporter = reporter;
    }

    public Uni<PlatformHealth> check() {
        return Uni.combine()
                .all()
                .unis(gatewayHealth(), upstreamHealth())
                .asTuple()
                .map(both -> PlatformHealth.of(Stream.concat(Stream.of(both.getItem1()), both.getItem2().stream())
                        .sorted(Comparator.comparing(ServiceHealth::name))
                        .toList()));
    }

    private Uni<ServiceHealth> gatewayHealth() {
        return reporter.getReadinessAsync()
                .map(health -> new ServiceHealth(GATEWAY, health.getPayload().getString("status"), null, 0L, null));
    }

    private Uni<List<ServiceHealth>> upstreamHealth() {
        return Multi.createFrom()
                .iterable(config.upstreams().entrySet())
                .onItem()
                .transformToUniAndMerge(this::upstreamHealth)
                .collect()
                .asList();
    }

    private Uni<ServiceHealth> upstreamHealth(Map.Entry<String, GatewayConfig.Upstream> upstream) {
        long started = System.nanoTime();
        String url = upstream.getValue().url().toString();
        return upstreams.readiness(upstream.getValue().url())
                .map(status -> new ServiceHealth(upstream.getKey(), status, url, elapsedMillis(started), null))
                .onFailure()
                .recoverWithItem(failure -> new ServiceHealth(upstream.getKey(), "DOWN", url, elapsedMillis(started),
                        "unreachable: " + failure.getMessage()));
    }

    private static long elapsedMillis(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
