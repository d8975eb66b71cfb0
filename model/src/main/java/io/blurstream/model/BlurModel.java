package io.blurstream.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A complete, self-describing model: identity and version, the configuration, the scaler fitted in
 * training, free-form metadata (training figures, provenance) and the weights. This is what a model
 * file holds.
 */
public record BlurModel(
        String modelId,
        long version,
        Instant createdAt,
        BlurConfig config,
        Scaler scaler,
        Map<String, String> metadata,
        BlurParameters parameters) {

    public BlurModel {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("modelId must not be blank");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scaler, "scaler");
        Objects.requireNonNull(parameters, "parameters");
        metadata = sortedMetadata(metadata);
        if (!parameters.layout().specs().equals(ParameterLayout.of(config).specs())) {
            throw new IllegalArgumentException(
                    "parameters were built for another configuration than config");
        }
        if (scaler.channels() != config.channelCount()) {
            throw new IllegalArgumentException(
                    "scaler has "
                            + scaler.channels()
                            + " channels but config.channels has "
                            + config.channelCount());
        }
    }

    /** The same model under a new version (for example a refit that kept the weights). */
    public BlurModel withVersion(long newVersion) {
        return new BlurModel(modelId, newVersion, createdAt, config, scaler, metadata, parameters);
    }

    /** An unmodifiable copy in key order, so a model's bytes do not depend on hash order. */
    private static Map<String, String> sortedMetadata(Map<String, String> metadata) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        if (metadata != null) {
            metadata.forEach(
                    (key, value) -> {
                        if (key == null || value == null) {
                            throw new IllegalArgumentException(
                                    "metadata must not hold null keys or values, got "
                                            + key
                                            + "="
                                            + value);
                        }
                        sorted.put(key, value);
                    });
        }
        return java.util.Collections.unmodifiableSortedMap(sorted);
    }
}
