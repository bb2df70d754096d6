package io.visionplatform.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.visionplatform.gateway.auth.ApiKeyCrypto;
import io.visionplatform.gateway.config.GatewayConfig;

/**
 * Makes the operator's bootstrap key work: the local stack generates a key, passes it in
 * {@code platform.gateway.bootstrap.admin-key} and prints it; the gateway records it for the admin account
 * before it serves its first request.
 */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    void onStart(@Observes StartupEvent event, GatewayConfig config, AccountService accounts) throws Throwable {
        String key = config.bootstrap().adminKey().orElse("");
        if (key.isBlank()) {
            return;
        }
        if (!ApiKeyCrypto.hasKeyFormat(key)) {
            throw new IllegalStateException("platform.gateway.bootstrap.admin-key must look like ul_ + 40 lowercase hex");
        }
        String username = config.bootstrap().adminUsername();
        VertxContextSupport.subscribeAndAwait(() -> accounts.ensureBootstrapAdmin(username, key));
        LOG.infof("Bootstrap admin key ready for account %s", username);
    }
}
