package io.visionplatform.gateway.rest;

import java.util.List;

/** The whole platform's readiness: UP only when the gateway and every service behind it are UP. */
public record PlatformHealth(String status, List<ServiceHealth> services) {

    public static PlatformHealth of(List<ServiceHealth> services) {
        boolean allUp = services.stream().allMatch(ServiceHealth::up);
        return new PlatformHealth(allUp ? "UP" : "DOWN", services);
    }
}
