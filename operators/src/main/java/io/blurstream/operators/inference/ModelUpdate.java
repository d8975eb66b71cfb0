package io.blurstream.operators.inference;

import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateStage;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message of the model topic whose signature has been verified and, for a new model, whose file
 * is complete and matches the signed SHA-256 ({@link ModelAssemblyFunction} makes these). Whether
 * the job takes it up is {@link ForecastFunction}'s decision, made identically on every parallel
 * instance from the same broadcast element.
 *
 * <p>A Flink POJO.
 */
public class ModelUpdate {

    public UpdateKind kind;

    /** The model id the signed header names. */
    public String modelId;

    /** The version the signed header names. */
    public long version;

    /** For {@link UpdateKind#MODEL}: serve or shadow; null otherwise. */
    public UpdateStage stage;

    /** For {@link UpdateKind#MODEL}: the model file; null otherwise. */
    public byte[] modelFile;

    /** Where it came from ({@code topic/partition@offset} of its first record), for logs. */
    public String origin;

    public ModelUpdate() {}

    /** A new model version; {@code modelId} and {@code version} as the signed header says. */
    public static ModelUpdate model(
            String modelId, long version, UpdateStage stage, byte[] modelFile, String origin) {
        ModelUpdate update = new ModelUpdate();
        update.kind = UpdateKind.MODEL;
        update.modelId = modelId;
        update.version = version;
        update.stage = Objects.requireNonNull(stage, "stage");
        update.modelFile = Objects.requireNonNull(modelFile, "modelFile");
        update.origin = origin;
        return update;
    }

    /** A promote, rollback or retire message. */
    public static ModelUpdate control(
            UpdateKind kind, String modelId, long version, String origin) {
        if (kind == UpdateKind.MODEL) {
            throw new IllegalArgumentException("a model update carries a file");
        }
        ModelUpdate update = new ModelUpdate();
        update.kind = kind;
        update.modelId = modelId;
        update.version = version;
        update.origin = origin;
        return update;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUpdate u
                && kind == u.kind
                && version == u.version
                && stage == u.stage
                && Objects.equals(modelId, u.modelId)
                && Arrays.equals(modelFile, u.modelFile)
                && Objects.equals(origin, u.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, modelId, version, stage, origin) * 31
                + Arrays.hashCode(modelFile);
    }

    @Override
    public String toString() {
        return "ModelUpdate{"
                + kind
                + " "
                + modelId
                + " v"
                + version
                + (stage == null ? "" : " " + stage)
                + " from "
                + origin
                + "}";
    }
}
