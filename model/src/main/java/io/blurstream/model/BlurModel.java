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
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
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
}
