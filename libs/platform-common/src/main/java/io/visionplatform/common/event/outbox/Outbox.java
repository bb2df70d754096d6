package io.visionplatform.common.event.outbox;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.event.EventCodec;
import io.visionplatform.common.event.PlatformEvent;

/**
 * Writes events into the service's outbox table inside the caller's transaction, so an event exists if and
 * only if its state change committed. {@link OutboxRelay} publishes them to Kafka afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final EventCodec codec;

    public Outbox(EventCodec codec) {
        this.codec = codec;
    }

    /** Appends a version-1 event whose Kafka key is {@code subjectId}. Call inside a transaction. */
    public Uni<PlatformEvent> append(String topic, String type, String accountId, String subjectId, Object data) {
        return append(topic, PlatformEvent.create(type, 1, accountId, subjectId, codec.toTree(data)));
    }

    public Uni<PlatformEvent> append(String topic, PlatformEvent event) {
        OutboxEvent row = toRow(topic, event);
        return Panache.currentTransaction()
                .onItem()
                .ifNull()
                .failWith(() -> new IllegalStateException("Outbox.append must run inside the state change's transaction"))
                .chain(transaction -> Panache.getSession())
                .chain(session -> session.persist(row))
                .replaceWith(event);
    }

    private OutboxEvent toRow(String topic, PlatformEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = event.id();
        row.topic = topic;
        row.messageKey = event.subjectId() != null ? event.subjectId() : event.id().toString();
        row.eventType = event.type();
        row.payload = codec.encode(event);
        row.createdAt = Instant.now();
        return row;
    }
}
