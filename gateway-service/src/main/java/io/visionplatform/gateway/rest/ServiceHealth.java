package io.visionplatform.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One service's readiness as seen from the gateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceHealth(String name, String status, String url, Long latencyMs, String error) {

    public boolean up() {
        return "UP".equals(status);
    }
}
