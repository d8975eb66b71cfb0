package io.blurstream.model.update;

import java.util.Locale;

/** What a message of the model topic asks the job to do. */
public enum UpdateKind {
    /** Serve (or shadow) a new version of a model: the message carries the model file. */
    MODEL,
    /** Make the shadow version {@code v} of a model the serving one. */
    PROMOTE,
    /** Go back from the serving version of a model to its previous version {@code v}. */
    ROLLBACK,
    /** Stop serving version {@code v} of a model; groups it served wait for a new version. */
    RETIRE;

    /** The name on the wire: lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind of a wire name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static UpdateKind ofWireName(String name) {
        for (UpdateKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "unknown kind \"" + name + "\" (model, promote, rollback or retire)");
    }
}
