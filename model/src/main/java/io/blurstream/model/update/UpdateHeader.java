package io.blurstream.model.update;

import java.util.Map;
import java.util.Objects;

/**
 * The signed part of a model-topic message: what to do, to which model version, and for a new model
 * the SHA-256, size and chunk count of its file and its stage. The header travels as a JSON string
 * and the signature covers exactly those bytes, so no canonical form is needed.
 *
 * @param kind what the message asks for
 * @param modelId the model it concerns
 * @param version the version it concerns: the new one, the one to promote, roll back to or retire
 * @param stage for {@link UpdateKind#MODEL}: serve at once or shadow; null otherwise
 * @param sha256 for {@link UpdateKind#MODEL}: hex SHA-256 of the whole model file; null otherwise
 * @param bytes for {@link UpdateKind#MODEL}: size of the model file; 0 otherwise
 * @param chunks for {@link UpdateKind#MODEL}: records the file is split into (≥ 1); 1 otherwise
 * @param algorithm the signature algorithm, {@link UpdateKeys#HMAC_SHA256} or {@link
 *     UpdateKeys#ED25519}
 * @param issuedAtMillis when the message was signed, epoch milliseconds (for logs)
 * @param metadata free-form figures (for example the evaluation of a refit), never null
 */
public record UpdateHeader(
        UpdateKind kind,
        String modelId,
        long version,
        UpdateStage stage,
        String sha256,
        long bytes,
        int chunks,
        String algorithm,
        long issuedAtMillis,
        Map<String, Object> metadata) {

    public UpdateHeader {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(algorithm, "algorithm");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (kind == UpdateKind.MODEL) {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(sha256, "sha256");
            if (chunks < 1 || bytes < 0) {
                throw new IllegalArgumentException("chunks ≥ 1 and bytes ≥ 0");
            }
        }
    }

    /** {@code model X v3} / {@code rollback of X to v2}, for log lines and reasons. */
    public String describe() {
        return switch (kind) {
            case MODEL -> "model " + modelId + " v" + version;
            case PROMOTE -> "promotion of " + modelId + " v" + version;
            case ROLLBACK -> "rollback of " + modelId + " to v" + version;
            case RETIRE -> "retirement of " + modelId + " v" + version;
        };
    }
}
