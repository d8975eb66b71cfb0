package io.blurstream.model.update;

import java.util.Locale;

/** Where a new model version goes when the job accepts it. */
public enum UpdateStage {
    /** Straight into service: the next window of every group it serves uses it. */
    SERVE,
    /**
     * Beside the serving version: the job forecasts with both, only the serving version's forecasts
     * go out as forecasts, and a {@link UpdateKind#PROMOTE} message swaps them.
     */
    SHADOW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException for an unknown name
     */
    public static UpdateStage ofWireName(String name) {
        for (UpdateStage stage : values()) {
            if (stage.wireName().equals(name)) {
                return stage;
            }
        }
        throw new IllegalArgumentException("unknown stage \"" + name + "\" (serve or shadow)");
    }
}
