package io.visionplatform.vision.train;

import java.util.Map;

/**
 * Receives a run's progress as the Ultralytics SDK reports it to a platform: the event names and data fields of its
 * training telemetry ({@code training_started}, {@code epoch_end}, {@code training_complete}, ...), so a listener can
 * forward them unchanged.
 */
@FunctionalInterface
public interface TrainListener {

    /** Ignores everything. */
    TrainListener NONE = (event, data) -> {
    };

    void onEvent(String event, Map<String, Object> data);
}
