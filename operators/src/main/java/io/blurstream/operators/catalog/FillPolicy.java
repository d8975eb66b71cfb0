package io.blurstream.operators.catalog;

import java.util.Locale;

/**
 * How alignment turns a channel's readings into one value per grid tick {@code t_k}, whose interval
 * is {@code (t_k - step, t_k]}. The exact rules, including the fallbacks when the interval is
 * empty, are in {@code io.blurstream.operators.align.AlignmentFunction}.
 */
public enum FillPolicy {
    /** The latest reading at or before the tick (as-of join); carried while not stale. */
    LAST,
    /** The mean of the readings in the tick interval; the last reading carried when empty. */
    MEAN,
    /**
     * Linear interpolation at the tick between the latest reading at or before it and the first
     * reading after it (looking ahead at most the allowed lateness).
     */
    LINEAR;

    /** The name used in catalog files. */
    public String catalogName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy for a catalog name ({@code last}, {@code mean}, {@code linear}), or null. */
    static FillPolicy fromCatalogName(String text) {
        for (FillPolicy p : values()) {
            if (p.catalogName().equals(text)) {
                return p;
            }
        }
        return null;
    }
}
