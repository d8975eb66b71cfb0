package io.blurstream.operators.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * A complete input window for the forecaster: the last {@link #rows} ticks of a group's fused grid,
 * row-major ({@code values[t * channels + c]}, oldest row first), without gaps and without missing
 * values. This is exactly the layout {@code io.blurstream.model.Forecaster} reads.
 *
 * <p>A Flink POJO; operator-internal, evolves by Flink POJO schema evolution (schema {@code
 * schemas/fused-window.schema.json} documents its JSON form for debugging topics).
 */
public class FusedWindow {

    /** The catalog group. */
    public String groupId;

    /** Tick of the newest row: the grid time the forecast is issued for, epoch milliseconds. */
    public long lastTickMillis;

    /** The group's grid step, milliseconds. */
    public long stepMillis;

    /** Number of rows {@code W}. */
    public int rows;

    /** Number of channels {@code C}, in the group's channel order. */
    public int channels;

    /** {@code W × C} values, row-major, oldest row first; all finite. */
    public float[] values;

    /**
     * Share of the {@code W × C} values that were not observed in their tick interval (carried or
     * interpolated by alignment, or carried forward by window assembly), in [0, 1].
     */
    public double imputedShare;

    /**
     * Wall-clock time (epoch ms) at which window assembly emitted this window, 0 if unknown; the
     * forecast's processing latency is measured from here. Not part of {@link #equals}: it is a
     * wall-clock reading, different in every run.
     */
    public long assembledAtMillis;

    public FusedWindow() {}

    public FusedWindow(
            String groupId,
            long lastTickMillis,
            long stepMillis,
            int rows,
            int channels,
            float[] values,
            double imputedShare) {
        this.groupId = groupId;
        this.lastTickMillis = lastTickMillis;
        this.stepMillis = stepMillis;
        this.rows = rows;
        this.channels = channels;
        this.values = values;
        this.imputedShare = imputedShare;
    }

    /** The value of channel {@code channel} at row {@code row} (0 = oldest). */
    public float valueAt(int row, int channel) {
        return values[row * channels + channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedWindow w
                && lastTickMillis == w.lastTickMillis
                && stepMillis == w.stepMillis
                && rows == w.rows
                && channels == w.channels
                && Double.compare(imputedShare, w.imputedShare) == 0
                && Objects.equals(groupId, w.groupId)
                && Arrays.equals(values, w.values);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(groupId, lastTickMillis, stepMillis, rows, channels, imputedShare)
                + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FusedWindow{"
                + groupId
                + " @"
                + lastTickMillis
                + " "
                + rows
                + "x"
                + channels
                + " imputed="
                + imputedShare
                + "}";
    }
}
