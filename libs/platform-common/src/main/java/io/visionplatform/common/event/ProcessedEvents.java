package io.visionplatform.common.event;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The idempotent-consumer half of at-least-once delivery: an event's handler runs in the same transaction
 * that records the event id as processed for this consumer, so a redelivered event is skipped and a failed
 * handler leaves no trace (the event is processed again on redelivery).
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final Logger LOG = Logger.getLogger(ProcessedEvents.class);

    private final EventCodec codec;

    public ProcessedEvents(EventCodec codec) {
        this.codec = codec;
    }

    /** Decodes a Kafka record and hands it to {@link #processOnce}; records that are not events are skipped. */
    public Uni<Void> handle(String consumer, String payload, Function<PlatformEvent, Uni<?>> handler) {
        return codec.decode(payload)
                .map(event -> processOnce(consumer, event, handler).replaceWithVoid())
                .orElseGet(() -> Uni.createFrom().voidItem());
    }

    /** Runs {@code handler} unless this consumer already processed the event; emits whether it ran. */
    public Uni<Boolean> processOnce(String consumer, PlatformEvent event, Function<PlatformEvent, Uni<?>> handler) {
        return Panache.withTransaction(() -> claim(consumer, event.id())
                .chain(claimed -> claimed ? handler.apply(event).replaceWith(true) : skip(consumer, event)));
    }

    private Uni<Boolean> claim(String consumer, UUID eventId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into processed_event (consumer, event_id, processed_at)"
                        + " values (:consumer, :eventId, now()) on conflict do nothing")
                        .setParameter("consumer", consumer)
                        .setParameter("eventId", eventId)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private static Uni<Boolean> skip(String consumer, PlatformEvent event) {
        LOG.debugf("%s already processed event %s (%s)", consumer, event.id(), event.type());
        return Uni.createFrom().item(false);
    }
}
