package io.blurstream.operators.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of a group's fused grid: the value of every channel at one grid tick, in the group's
 * channel order, with a mask that says where each value came from. Produced by alignment, consumed
 * by window assembly.
 *
 * <p>A value is {@code NaN} exactly when its mask is {@link #MISSING}. In JSON a missing value is
 * written as the string {@code "NaN"} and the mask as base64 (schema {@code
 * schemas/fused-row.schema.json}). Version policy as for {@link SensorReading}: operator-internal,
 * evolves by Flink POJO schema evolution.
 */
public class FusedRow {

    /** At least one reading of the channel fell into this tick's interval. */
    public static final byte OBSERVED = 0;

    /** No reading in the interval; the value was carried forward or interpolated. */
    public static final byte IMPUTED = 1;

    /** No usable value: nothing recent enough to carry; the value is NaN. */
    public static final byte MISSING = 2;

    /** The catalog group. */
    public String groupId;

    /** The grid tick, epoch milliseconds, a multiple of the group's step. */
    public long tickMillis;

    /** One value per channel, in the group's channel order; NaN where missing. */
    public float[] values;

    /** One of {@link #OBSERVED}, {@link #IMPUTED}, {@link #MISSING} per channel. */
    public byte[] mask;

    public FusedRow() {}

    public FusedRow(String groupId, long tickMillis, float[] values, byte[] mask) {
        this.groupId = groupId;
        this.tickMillis = tickMillis;
        this.values = values;
        this.mask = mask;
    }

    /** True when every channel is {@link #MISSING}. */
    public boolean allMissing() {
        for (byte m : mask) {
            if (m != MISSING) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedRow r
                && tickMillis == r.tickMillis
                && Objects.equals(groupId, r.groupId)
                && Arrays.equals(values, r.values)
                && Arrays.equals(mask, r.mask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hash(groupId, tickMillis) + Arrays.hashCode(values))
                + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return "FusedRow{"
                + groupId
                + " @"
                + tickMillis
                + " "
                + Arrays.toString(values)
                + " mask="
                + Arrays.toString(mask)
                + "}";
    }
}
