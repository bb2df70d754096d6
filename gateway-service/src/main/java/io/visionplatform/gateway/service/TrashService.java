package io.visionplatform.gateway.service;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.gateway.auth.IdentityTokenIssuer;
import io.visionplatform.gateway.auth.Principal;
import io.visionplatform.gateway.client.UpstreamClient;
import io.visionplatform.gateway.client.UpstreamClient.ServiceAnswer;
import io.visionplatform.gateway.config.GatewayConfig;

/**
 * {@code /api/trash} is one list over services that each own their trashed items: the gateway asks every
 * owner, merges, and sends a restore to the owner of the item's type.
 */
@ApplicationScoped
public class TrashService {

    /** Item type → the service that owns such items (and their trash). */
    static final Map<String, String> OWNERS = new TreeMap<>(Map.of("dataset", "datasets", "project", "models",
            "model", "models"));

    private final GatewayConfig config;
    private final UpstreamClient upstreams;
    private final IdentityTokenIssuer identityTokens;

    public TrashService(GatewayConfig config, UpstreamClient upstreams, IdentityTokenIssuer identityTokens) {
        this.config = config;
        this.upstreams = upstreams;
        this.identityTokens = identityTokens;
    }

    public Uni<List<Map<String, Object>>> list(Principal caller, String requestId) {
        return eachOwner(caller, requestId, HttpMethod.GET, "/api/trash")
                .map(answers -> answers.stream()
                        .flatMap(answer -> answer.body().getJsonArray("data", new JsonArray()).stream())
                        .map(JsonObject.class::cast)
                        .sorted(Comparator.comparing((JsonObject item) -> item.getString("deletedAt", "")).reversed())
                        .map(JsonObject::getMap)
                        .toList());
    }

    public Uni<ServiceAnswer> restore(Principal caller, String requestId, String itemId, String type) {
        String owner = OWNERS.get(type);
        if (owner == null) {
            return Uni.createFrom().failure(PlatformException.validation("Unknown trash item type: " + type,
                    Map.of("fields", Map.of("type", "must be one of " + String.join(", ", OWNERS.keySet())))));
        }
        return upstreams.call(HttpMethod.POST, config.upstreams().get(owner).url(), "/api/trash/restore",
                identityTokens.issue(caller), requestId, new JsonObject().put("itemId", itemId).put("type", type))
                .onFailure()
                .transform(failure -> PlatformException.unavailable("The " + owner + " service is unavailable"));
    }

    public Uni<Integer> empty(Principal caller, String requestId) {
        return eachOwner(caller, requestId, HttpMethod.POST, "/api/trash/empty")
                .map(answers -> answers.stream()
                        .mapToInt(answer -> answer.body().getJsonObject("data", new JsonObject()).getInteger("deleted", 0))
                        .sum());
    }

    /** Asks every owning service; a service that fails makes the whole answer a 503 (no silent partial list). */
    private Uni<List<ServiceAnswer>> eachOwner(Principal caller, String requestId, HttpMethod method, String path) {
        String token = identityTokens.issue(caller);
        return Multi.createFrom()
                .iterable(Set.copyOf(OWNERS.values()))
                .onItem()
                .transformToUniAndMerge(owner -> upstreams.call(method, config.upstreams().get(owner).url(), path, token,
                        requestId, method == HttpMethod.POST ? new JsonObject() : null)
                        .onFailure()
                        .transform(failure -> PlatformException.unavailable("The " + owner + " service is unavailable"))
                        .invoke(answer -> {
                            if (answer.status() != 200) {
                                throw PlatformException.unavailable("The " + owner + " service could not answer for its trash");
                            }
                        }))
                .collect()
                .asList();
    }
}
