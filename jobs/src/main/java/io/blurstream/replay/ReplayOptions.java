package io.blurstream.replay;

/**
 * How a dataset is turned into sensor traffic.
 *
 * @param disorderMillis each reading is sent up to this long after its event time (uniformly), so
 *     readings arrive out of order within this bound
 * @param lateFraction share of readings held back by {@code lateDelayMillis} beyond the disorder
 *     bound, to exercise late-data handling (0 for none)
 * @param lateDelayMillis how far late readings are held back
 * @param malformedFraction share of extra records that are broken on purpose (bad JSON, wrong
 *     types, unknown sensors, non-finite values), relative to the number of readings
 * @param seed seeds every random choice, so a replay is repeatable
 */
public record ReplayOptions(
        long disorderMillis,
        double lateFraction,
        long lateDelayMillis,
        double malformedFraction,
        long seed) {

    /** In-order, clean traffic. */
    public static final ReplayOptions CLEAN = new ReplayOptions(0, 0, 0, 0, 1);

    public ReplayOptions {
        if (disorderMillis < 0 || lateDelayMillis < 0) {
            throw new IllegalArgumentException(
                    "disorder and late delay must be ≥ 0 ms, got "
                            + disorderMillis
                            + " and "
                            + lateDelayMillis);
        }
        checkFraction("late fraction", lateFraction);
        checkFraction("malformed fraction", malformedFraction);
    }

    private static void checkFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }
}
