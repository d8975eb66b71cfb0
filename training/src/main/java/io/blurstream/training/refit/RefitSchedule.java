package io.blurstream.training.refit;

/**
 * When the next refit is due: after {@code everyRows} new rows, or once the newest row is {@code
 * everyEventMillis} of event time past the last refit (0: rows only), and never before the rolling
 * set holds {@code minimumRows}.
 */
final class RefitSchedule {

    private final int everyRows;
    private final long everyEventMillis;
    private final int minimumRows;
    private long lastAdded;
    private long lastTick = Long.MIN_VALUE;

    RefitSchedule(int everyRows, long everyEventMillis, int minimumRows) {
        this.everyRows = everyRows;
        this.everyEventMillis = everyEventMillis;
        this.minimumRows = minimumRows;
    }

    /** Whether a refit is due for {@code series} now; if so, counts from here. */
    boolean take(RollingSeries series) {
        if (series.size() < minimumRows) {
            return false;
        }
        boolean due =
                series.added() - lastAdded >= everyRows
                        || (everyEventMillis > 0
                                && lastTick != Long.MIN_VALUE
                                && series.newestTick() - lastTick >= everyEventMillis);
        if (due) {
            lastAdded = series.added();
            lastTick = series.newestTick();
        }
        return due;
    }
}
