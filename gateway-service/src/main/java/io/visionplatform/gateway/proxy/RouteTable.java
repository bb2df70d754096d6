package io.visionplatform.gateway.proxy;

import java.util.List;
import java.util.Optional;

import io.visionplatform.gateway.auth.Scopes;

/** The one table of public paths: which service owns each, and which scope grants it. First match wins. */
public final class RouteTable {

    /** Scope group of account-wide actions (keys, GDPR): only {@code write}/{@code admin} (or {@code read} to look). */
    static final String ACCOUNT = "account";

    private static final List<Route> ROUTES = List.of(
            Route.open("/api/health"),
            Route.open("/api/openapi.json"),
            Route.local("/api/settings", null),
            Route.local("/api/api-keys", ACCOUNT),
            Route.local("/api/admin", Scopes.ADMIN),
            Route.local("/api/trash", ACCOUNT),
            Route.upstream("/api/datasets", "datasets", Scopes.DATASETS),
            Route.upstream("/api/webhooks/datasets", "datasets", Scopes.DATASETS),
            Route.upstream("/api/models/*/training", "training", Scopes.TRAINING),
            Route.upstream("/api/projects", "models", Scopes.MODELS),
            Route.upstream("/api/models", "models", Scopes.MODELS),
            Route.upstream("/api/exports", "models", Scopes.MODELS),
            Route.upstream("/api/webhooks/models", "models", Scopes.MODELS),
            Route.upstream("/api/training", "training", Scopes.TRAINING),
            Route.upstream("/api/webhooks/training", "training", Scopes.TRAINING),
            Route.upstream("/api/deployments", "deployments", Scopes.DEPLOYMENTS),
            Route.upstream("/api/billing", "billing", Scopes.BILLING),
            Route.upstream("/api/storage", "billing", Scopes.BILLING),
            Route.upstream("/api/activity", "billing", Scopes.BILLING),
            Route.upstream("/api/gdpr", "billing", ACCOUNT));

    private RouteTable() {
    }

    public static Optional<Route> resolve(String path) {
        return ROUTES.stream()
                .filter(route -> route.matches(path))
                .findFirst();
    }

    public static List<Route> routes() {
        return ROUTES;
    }
}
