package io.blurstream.operators.align;

import java.util.Arrays;

/**
 * The readings of one group that share one event timestamp, one slot per channel ({@code NaN} = no
 * reading of that channel at that time). The value type of alignment's buffer, keyed by the
 * timestamp; a Flink POJO so the state is never Kryo-serialised.
 */
public class BufferedReadings {

    /** One value per channel in the group's channel order; NaN where the channel has none. */
    public double[] values;

    public BufferedReadings() {}

    /** An entry with no reading for any of {@code channels} channels. */
    public static BufferedReadings empty(int channels) {
        BufferedReadings r = new BufferedReadings();
        r.values = new double[channels];
        Arrays.fill(r.values, Double.NaN);
        return r;
    }
}
