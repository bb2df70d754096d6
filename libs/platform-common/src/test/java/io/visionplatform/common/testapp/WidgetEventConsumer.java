package io.visionplatform.common.testapp;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.event.PlatformEvent;
import io.visionplatform.common.event.ProcessedEvents;

/** Records every widget event it processes; with the idempotent consumer each event id appears once. */
@ApplicationScoped
public class WidgetEventConsumer {

    private final ProcessedEvents processedEvents;

    public WidgetEventConsumer(ProcessedEvents processedEvents) {
        this.processedEvents = processedEvents;
    }

    @Incoming("widget-events")
    public Uni<Void> consume(String payload) {
        return processedEvents.handle("widget-audit", payload, this::record);
    }

    private Uni<WidgetEventSeen> record(PlatformEvent event) {
        WidgetEventSeen seen = new WidgetEventSeen();
        seen.eventId = event.id();
        seen.subjectId = event.subjectId();
        seen.eventType = event.type();
        return Panache.getSession()
                .chain(session -> session.persist(seen))
                .replaceWith(seen);
    }
}
