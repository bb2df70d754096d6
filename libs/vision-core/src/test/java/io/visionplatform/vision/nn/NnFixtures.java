package io.visionplatform.vision.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;

/** Shared fixture access for the network tests: built networks and the recorded export info. */
final class NnFixtures {

    private static final Map<String, YoloNetwork> NETWORKS = new ConcurrentHashMap<>();

    private NnFixtures() {
    }

    /** One network per model for the whole test run (read-only, so shared). */
    static YoloNetwork network(String model) {
        return NETWORKS.computeIfAbsent(model, m -> YoloNetwork.load(Fixtures.checkpoint(m)));
    }

    static JsonNode exportInfo(String model) {
        return Fixtures.json(model, "export_info.json").get("checkpoint");
    }
}
