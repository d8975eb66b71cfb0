package io.blurstream.operators.align;

import java.util.Arrays;

/**
 * Where alignment stands for one group: the tick it emits next, the tick it emitted last, and per
 * channel the latest reading at or before that tick (what is carried forward once the buffer has
 * been cleaned). A Flink POJO, kept in {@code ValueState}.
 */
public class AlignmentProgress {

    /** Marks "no such time" in the fields below. */
    public static final long NONE = Long.MIN_VALUE;

    /** Whether a timer for {@link #nextTickMillis} is registered. */
    public boolean ticking;

    /** The next tick to emit (valid while {@link #ticking}). */
    public long nextTickMillis = NONE;

    /** The last tick emitted; readings at or before it are late. */
    public long lastEmittedTickMillis = NONE;

    /** Per channel: time of the latest reading at or before the last emitted tick, or NONE. */
    public long[] carriedMillis;

    /** Per channel: value of that reading. */
    public double[] carriedValues;

    public AlignmentProgress() {}

    /** The progress of a group that has seen nothing yet. */
    public static AlignmentProgress initial(int channels) {
        AlignmentProgress p = new AlignmentProgress();
        p.carriedMillis = new long[channels];
        Arrays.fill(p.carriedMillis, NONE);
        p.carriedValues = new double[channels];
        return p;
    }

    /** Time of the newest reading any channel has carried, or NONE. */
    public long latestCarriedMillis() {
        long latest = NONE;
        for (long t : carriedMillis) {
            latest = Math.max(latest, t);
        }
        return latest;
    }
}
