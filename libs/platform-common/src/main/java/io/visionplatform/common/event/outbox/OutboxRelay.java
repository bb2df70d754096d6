package io.visionplatform.common.event.outbox;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Publishes outbox rows to Kafka in commit order, one at a time, each keyed by its aggregate so the
 * partition keeps that aggregate's order. A row is marked published only after the broker acknowledged it;
 * when Kafka is unreachable the pass stops at the first failure and the next pass retries from there.
 * Delivery is therefore at least once: consumers de-duplicate by event id ({@code ProcessedEvents}).
 * <p>
 * Several replicas may run the relay; a transaction-scoped PostgreSQL advisory lock lets one pass run at a
 * time so commit order is kept across replicas.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the outbox lock; each service has its own database, so no clash. */
    private static final long LOCK_KEY = 0x6f7574626f78L;

    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final AtomicLong pending = new AtomicLong();

    public OutboxRelay(@Channel("platform-outbox") MutinyEmitter<String> emitter, OutboxConfig config,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.config = config;
        registry.gauge("platform.outbox.pending", pending);
    }

    @Scheduled(every = "${platform.outbox.poll-interval:1s}", delayed = "${platform.outbox.start-delay:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> lockAndPublish(session, context)));
    }

    @Scheduled(every = "1h", delayed = "1m")
    Uni<Void> deleteOldPublished() {
        Instant cutoff = Instant.now().minus(config.retention());
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createMutationQuery("delete from OutboxEvent where publishedAt < :cutoff")
                        .setParameter("cutoff", cutoff)
                        .executeUpdate()))
                .replaceWithVoid();
    }

    private Uni<Void> lockAndPublish(Mutiny.Session session, Context context) {
        return session.createNativeQuery("select pg_try_advisory_xact_lock(" + LOCK_KEY + ")", Boolean.class)
                .getSingleResult()
                .chain(locked -> Boolean.TRUE.equals(locked) ? publishPending(session, context)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> publishPending(Mutiny.Session session, Context context) {
        return session.createSelectionQuery("from OutboxEvent where publishedAt is null order by seq", OutboxEvent.class)
                .setMaxResults(config.batchSize())
                .getResultList()
                .invoke(batch -> pending.set(batch.size()))
                .chain(batch -> publishInOrder(batch, context));
    }

    private Uni<Void> publishInOrder(List<OutboxEvent> batch, Context context) {
        return Multi.createFrom()
                .iterable(batch)
                .onItem()
                .transformToUniAndConcatenate(row -> publish(row, context))
                .collect()
                .last()
                .onFailure()
                .invoke(failure -> LOG.warnf("Outbox relay paused, will retry: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> publish(OutboxEvent row, Context context) {
        Message<String> message = Message.of(row.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                        .withTopic(row.topic)
                        .withKey(row.messageKey)
                        .build());
        return emitter.sendMessage(message)
                .ifNoItem()
                .after(config.sendTimeout())
                .fail()
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .invoke(() -> markPublished(row))
                .onFailure()
                .invoke(failure -> markFailed(row, failure));
    }

    private void markPublished(OutboxEvent row) {
        row.attempts++;
        row.publishedAt = Instant.now();
        pending.decrementAndGet();
    }

    private static void markFailed(OutboxEvent row, Throwable failure) {
        row.attempts++;
        String message = String.valueOf(failure.getMessage());
        row.lastError = message.length() > 500 ? message.substring(0, 500) : message;
    }
}
