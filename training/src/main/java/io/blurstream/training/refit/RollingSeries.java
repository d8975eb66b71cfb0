package io.blurstream.training.refit;

import io.blurstream.training.data.TimeSeriesTable;
import java.util.List;

/**
 * The most recent fused rows of one group, at most {@code capacity}, oldest first: the rolling
 * training set of a refit. A row older than or equal to the newest one held is ignored (a row read
 * twice after a restart). Values that were missing carry the channel's previous value forward (the
 * first rows of a channel that has never been seen hold 0), so every window is complete; the share
 * of such values is kept so a caller can tell a thin series.
 */
public final class RollingSeries {

    private final List<String> channels;
    private final int capacity;
    private final long[] ticks;
    private final double[] values;
    private final double[] lastSeen;
    private int start;
    private int size;
    private long added;
    private long filled;

    public RollingSeries(List<String> channels, int capacity) {
        if (capacity < 2 || channels.isEmpty()) {
            throw new IllegalArgumentException("capacity ≥ 2 and at least one channel");
        }
        this.channels = List.copyOf(channels);
        this.capacity = capacity;
        this.ticks = new long[capacity];
        this.values = new double[capacity * channels.size()];
        this.lastSeen = new double[channels.size()];
    }

    /**
     * Adds a row; {@code value[c]} NaN means missing.
     *
     * @return whether it was added (false for a row not newer than the newest)
     */
    public boolean add(long tickMillis, float[] value) {
        if (value.length != channels.size()) {
            throw new IllegalArgumentException(
                    "a row of " + value.length + " values for " + channels.size() + " channels");
        }
        if (size > 0 && tickMillis <= newestTick()) {
            return false;
        }
        int slot = (start + size) % capacity;
        if (size == capacity) {
            start = (start + 1) % capacity;
        } else {
            size++;
        }
        ticks[slot] = tickMillis;
        int width = channels.size();
        for (int c = 0; c < width; c++) {
            if (Float.isNaN(value[c])) {
                filled++;
            } else {
                lastSeen[c] = value[c];
            }
            values[slot * width + c] = lastSeen[c];
        }
        added++;
        return true;
    }

    public int size() {
        return size;
    }

    /** Rows added since the start (including those pushed out since). */
    public long added() {
        return added;
    }

    /** Values that were missing and carried forward, since the start. */
    public long filled() {
        return filled;
    }

    public long newestTick() {
        if (size == 0) {
            throw new IllegalStateException("no rows yet");
        }
        return ticks[(start + size - 1) % capacity];
    }

    /** The rows held, oldest first, as a table with the group's channels as columns. */
    public TimeSeriesTable toTable(String source) {
        int width = channels.size();
        long[] t = new long[size];
        double[] v = new double[size * width];
        for (int r = 0; r < size; r++) {
            int slot = (start + r) % capacity;
            t[r] = ticks[slot];
            System.arraycopy(values, slot * width, v, r * width, width);
        }
        return TimeSeriesTable.of(source, channels, t, v);
    }
}
