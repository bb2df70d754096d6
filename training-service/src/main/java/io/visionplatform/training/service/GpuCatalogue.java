package io.visionplatform.training.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.training.config.TrainingConfig;

/** The GPU types a run may ask for ({@code platform.training.gpu-types}), with their hourly price. */
@ApplicationScoped
public class GpuCatalogue {

    private final Map<String, TrainingConfig.GpuType> types;

    public GpuCatalogue(TrainingConfig config) {
        this.types = config.gpuTypes();
    }

    public Optional<TrainingConfig.GpuType> find(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name));
    }

    public List<String> names() {
        return types.keySet()
                .stream()
                .sorted()
                .toList();
    }

    /** The price of an hour, or 0 for types outside the catalogue (an SDK run on the user's own machine). */
    public long hourlyPriceMicroUsd(String name) {
        return find(name).map(TrainingConfig.GpuType::hourlyPriceMicroUsd)
                .orElse(0L);
    }
}
