package io.visionplatform.common.testapp;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.id.Ids;

/** Test-only endpoints: state changes with outbox events, and every kind of error the mappers handle. */
@Path("/test")
public class WidgetResource {

    static final String TOPIC = "platform.test-widgets";

    public record WidgetRequest(@NotBlank @Size(max = 40) String name, @Min(1) @Max(10) Integer size) {
    }

    public record WidgetView(String id, String name) {
    }

    private final Outbox outbox;

    public WidgetResource(Outbox outbox) {
        this.outbox = outbox;
    }

    @POST
    @Path("/widgets")
    @WithTransaction
    public Uni<ApiResponse<WidgetView>> create(@Valid WidgetRequest request) {
        Widget widget = new Widget();
        widget.id = Ids.newId("widget");
        widget.name = request.name();
        return Panache.getSession()
                .chain(session -> session.persist(widget))
                .chain(() -> outbox.append(TOPIC, "widget.created", "account_test", widget.id, Map.of("name", widget.name)))
                .map(event -> ApiResponse.of(new WidgetView(widget.id, widget.name)));
    }

    @PUT
    @Path("/widgets/{id}/name/{name}")
    @WithTransaction
    public Uni<ApiResponse<WidgetView>> rename(@PathParam("id") String id, @PathParam("name") String name) {
        return Panache.getSession()
                .chain(session -> session.find(Widget.class, id))
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("widget", id))
                .invoke(widget -> widget.name = name)
                .call(widget -> outbox.append(TOPIC, "widget.renamed", "account_test", id, Map.of("name", name)))
                .map(widget -> ApiResponse.of(new WidgetView(widget.id, widget.name)));
    }

    @GET
    @Path("/widgets/{id}/seen")
    @WithSession
    public Uni<List<WidgetEventSeen>> seen(@PathParam("id") String id) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery("from WidgetEventSeen where subjectId = :id order by seq",
                        WidgetEventSeen.class)
                        .setParameter("id", id)
                        .getResultList());
    }

    @GET
    @Path("/outbox/pending")
    @WithSession
    public Uni<Map<String, Long>> pending() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                        "select count(*) from OutboxEvent where publishedAt is null and topic = :topic", Long.class)
                        .setParameter("topic", TOPIC)
                        .getSingleResult())
                .map(count -> Map.of("pending", count));
    }

    @GET
    @Path("/outbox/payloads")
    @WithSession
    public Uni<List<String>> payloads(@QueryParam("subject") String subject) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                        "select payload from OutboxEvent where messageKey = :subject order by seq", String.class)
                        .setParameter("subject", subject)
                        .getResultList());
    }

    @POST
    @Path("/outbox/republish")
    @WithTransaction
    public Uni<Map<String, Integer>> republishAll() {
        return Panache.getSession()
                .chain(session -> session.createMutationQuery("update OutboxEvent set publishedAt = null where topic = :topic")
                        .setParameter("topic", TOPIC)
                        .executeUpdate())
                .map(count -> Map.of("republished", count));
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internal detail");
    }

    @GET
    @Path("/limited")
    public String limited(@QueryParam("limit") @Min(1) @Max(100) int limit) {
        return "ok " + limit;
    }
}
