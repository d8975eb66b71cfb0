package io.blurstream.operators.inference;

import java.util.Objects;

/**
 * What broadcast state holds per model id: the version serving, the one before it (for a rollback),
 * a shadow version running beside it, and the highest version ever accepted under the id, so a
 * replayed or rolled-back version can never come back.
 *
 * <p>A Flink POJO; treated as immutable: a decision builds a new slot (see {@link #copy}).
 */
public class ModelSlot {

    public String modelId;

    /** Serves the groups of this id; null when retired. */
    public ServingModel serving;

    /** Served before {@link #serving}; a rollback returns to it. Null if none. */
    public ServingModel previous;

    /** Runs beside {@link #serving} on every window; a promote makes it serve. Null if none. */
    public ServingModel shadow;

    /** The highest version accepted under this id: a new version must be above it. */
    public long highestVersion;

    public ModelSlot() {}

    ModelSlot copy() {
        ModelSlot copy = new ModelSlot();
        copy.modelId = modelId;
        copy.serving = serving;
        copy.previous = previous;
        copy.shadow = shadow;
        copy.highestVersion = highestVersion;
        return copy;
    }

    static long versionOf(ServingModel model) {
        return model == null ? -1 : model.version;
    }

    /** {@code serving v3, previous v2, shadow v4} for log lines and events. */
    String describe() {
        return "serving "
                + (serving == null ? "none" : "v" + serving.version)
                + ", previous "
                + (previous == null ? "none" : "v" + previous.version)
                + (shadow == null ? "" : ", shadow v" + shadow.version);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSlot s
                && highestVersion == s.highestVersion
                && Objects.equals(modelId, s.modelId)
                && Objects.equals(serving, s.serving)
                && Objects.equals(previous, s.previous)
                && Objects.equals(shadow, s.shadow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, serving, previous, shadow, highestVersion);
    }

    @Override
    public String toString() {
        return "ModelSlot{" + modelId + ": " + describe() + "}";
    }
}
