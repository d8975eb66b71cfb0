package io.blurstream.operators.record;

import java.util.Objects;

/**
 * What the job did with one message of the model topic, as published to the model-events topic
 * (schema {@code schemas/model-event.schema.json}): accepted (and what serves now), rejected with
 * the reason, or ignored (a copy of what already serves). One event per message, however many
 * parallel instances decided.
 *
 * <p>A Flink POJO. The JSON carries {@code "v": 1}.
 */
public class ModelEvent {

    public static final int CURRENT_VERSION = 1;

    /** What happened to the message. */
    public enum Outcome {
        ACCEPTED,
        REJECTED,
        IGNORED
    }

    public int v = CURRENT_VERSION;

    /** Wall-clock time of the decision, epoch milliseconds. */
    public long atMillis;

    /** Where the message came from: {@code topic/partition@offset}. */
    public String origin;

    /**
     * The message's kind ({@code model}, {@code promote}, {@code rollback}, {@code retire}), or
     * null when it could not be read.
     */
    public String kind;

    /** The model id the message names, or null when it could not be read. */
    public String modelId;

    /** The version the message names, or -1 when it could not be read. */
    public long version = -1;

    public Outcome outcome;

    /** Why it was rejected or ignored, or what changed when accepted. */
    public String reason;

    /** Versions of the model id after the decision; -1 for none. */
    public long servingVersion = -1;

    public long previousVersion = -1;

    public long shadowVersion = -1;

    public ModelEvent() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelEvent e
                && v == e.v
                && atMillis == e.atMillis
                && version == e.version
                && servingVersion == e.servingVersion
                && previousVersion == e.previousVersion
                && shadowVersion == e.shadowVersion
                && Objects.equals(origin, e.origin)
                && Objects.equals(kind, e.kind)
                && Objects.equals(modelId, e.modelId)
                && outcome == e.outcome
                && Objects.equals(reason, e.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, kind, modelId, version, outcome, reason, atMillis);
    }

    @Override
    public String toString() {
        return "ModelEvent{"
                + outcome
                + " "
                + kind
                + " "
                + modelId
                + " v"
                + version
                + ": "
                + reason
                + "}";
    }
}
