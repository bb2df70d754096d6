package io.visionplatform.common.event.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "platform.outbox")
public interface OutboxConfig {

    /** Whether this instance relays its outbox to Kafka (several replicas may; one holds the lock at a time). */
    @WithDefault("true")
    boolean enabled();

    /** How often the relay looks for unpublished events (read by the relay's schedule; 1 s at least). */
    @WithDefault("1s")
    String pollInterval();

    /** Lets Reactive Messaging connect the relay's channel before the first pass. */
    @WithDefault("3s")
    String startDelay();

    /** How many events one relay pass publishes at most. */
    @WithDefault("200")
    int batchSize();

    /** How long one publish may wait for the broker's acknowledgement before the pass stops and retries. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** How long published rows are kept for inspection before the cleanup deletes them. */
    @WithDefault("P7D")
    Duration retention();
}
