package io.blurstream.replay;

/**
 * How a dataset is turned into sensor traffic. Every random choice comes from {@code seed}, so a
 * replay is repeatable and its expected effect on the job is known.
 *
 * @param disorderMillis an out-of-order reading is sent up to this long after its event time
 *     (uniformly), so it can overtake or be overtaken by others within this bound
 * @param outOfOrderFraction share of readings so delayed; the others are sent at their event time
 * @param lateFraction share of readings held back by {@code lateDelayMillis} beyond the disorder
 *     bound, to exercise late-data handling
 * @param lateDelayMillis how far late readings are held back
 * @param dropFraction share of readings never sent (a lossy sensor network)
 * @param duplicateFraction share of readings sent twice (an at-least-once sensor gateway)
 * @param malformedFraction share of extra records that are broken on purpose (bad JSON, wrong
 *     types, unknown sensors, missing fields, non-finite values), relative to the readings
 * @param seed seeds every random choice
 */
public record ReplayOptions(
        long disorderMillis,
        double outOfOrderFraction,
        double lateFraction,
        long lateDelayMillis,
        double dropFraction,
        double duplicateFraction,
        double malformedFraction,
        long seed) {

    /** In-order, clean, complete traffic. */
    public static final ReplayOptions CLEAN = new ReplayOptions(0, 0, 0, 0, 0, 0, 0, 1);

    public ReplayOptions {
        if (disorderMillis < 0 || lateDelayMillis < 0) {
            throw new IllegalArgumentException(
                    "disorder and late delay must be ≥ 0 ms, got "
                            + disorderMillis
                            + " and "
                            + lateDelayMillis);
        }
        checkFraction("out-of-order fraction", outOfOrderFraction);
        checkFraction("late fraction", lateFraction);
        checkFraction("drop fraction", dropFraction);
        checkFraction("duplicate fraction", duplicateFraction);
        checkFraction("malformed fraction", malformedFraction);
    }

    /** Readings out of order within {@code disorderMillis}, nothing else. */
    public static ReplayOptions disordered(long disorderMillis, long seed) {
        return new ReplayOptions(disorderMillis, 1, 0, 0, 0, 0, 0, seed);
    }

    public ReplayOptions withMalformed(double fraction) {
        return new ReplayOptions(
                disorderMillis,
                outOfOrderFraction,
                lateFraction,
                lateDelayMillis,
                dropFraction,
                duplicateFraction,
                fraction,
                seed);
    }

    public ReplayOptions withLate(double fraction, long delayMillis) {
        return new ReplayOptions(
                disorderMillis,
                outOfOrderFraction,
                fraction,
                delayMillis,
                dropFraction,
                duplicateFraction,
                malformedFraction,
                seed);
    }

    public ReplayOptions withLoss(double drop, double duplicate) {
        return new ReplayOptions(
                disorderMillis,
                outOfOrderFraction,
                lateFraction,
                lateDelayMillis,
                drop,
                duplicate,
                malformedFraction,
                seed);
    }

    public ReplayOptions withSeed(long newSeed) {
        return new ReplayOptions(
                disorderMillis,
                outOfOrderFraction,
                lateFraction,
                lateDelayMillis,
                dropFraction,
                duplicateFraction,
                malformedFraction,
                newSeed);
    }

    private static void checkFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }
}
