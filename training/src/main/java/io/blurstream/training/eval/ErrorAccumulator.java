package io.blurstream.training.eval;

import java.util.Arrays;

/**
 * Sums of squared and absolute forecast errors, from which MSE and MAE follow. Sums are double: a
 * test split of ETTm1 at horizon 720 has tens of millions of values, and float sums would lose the
 * small late additions.
 *
 * <p>Optionally keeps the sums per horizon step too, to show how the error grows with lead time.
 * Accumulators merge, so each thread can fill its own and one merge at the end gives the total;
 * merging in a fixed order gives the same result on every run.
 *
 * <p>Not thread-safe; adding allocates nothing.
 */
public final class ErrorAccumulator {

    private final int horizon;
    private final double[] squaredPerStep;
    private final double[] absolutePerStep;
    private double squared;
    private double absolute;
    private long count;

    private ErrorAccumulator(int horizon) {
        this.horizon = horizon;
        this.squaredPerStep = new double[horizon];
        this.absolutePerStep = new double[horizon];
    }

    /** An accumulator of the overall errors only. */
    public ErrorAccumulator() {
        this(0);
    }

    /**
     * An accumulator that also keeps the errors of each of the {@code horizon} forecast steps;
     * every forecast added must then have exactly that many steps.
     */
    public static ErrorAccumulator perStep(int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        return new ErrorAccumulator(horizon);
    }

    /**
     * Adds one forecast of {@code steps × channels} values, row-major, against its target in the
     * same layout.
     */
    public void add(
            float[] forecast,
            int forecastOffset,
            float[] target,
            int targetOffset,
            int steps,
            int channels) {
        if (horizon != 0 && steps != horizon) {
            throw new IllegalArgumentException(
                    "this accumulator keeps " + horizon + " steps, the forecast has " + steps);
        }
        int n = steps * channels;
        if (forecastOffset < 0
                || targetOffset < 0
                || forecastOffset + n > forecast.length
                || targetOffset + n > target.length) {
            throw new IndexOutOfBoundsException(
                    steps + " × " + channels + " values do not fit the arrays at those offsets");
        }
        double sq = 0;
        double abs = 0;
        for (int s = 0; s < steps; s++) {
            double stepSq = 0;
            double stepAbs = 0;
            int f = forecastOffset + s * channels;
            int t = targetOffset + s * channels;
            for (int c = 0; c < channels; c++) {
                double e = (double) forecast[f + c] - target[t + c];
                stepSq += e * e;
                stepAbs += Math.abs(e);
            }
            if (horizon != 0) {
                squaredPerStep[s] += stepSq;
                absolutePerStep[s] += stepAbs;
            }
            sq += stepSq;
            abs += stepAbs;
        }
        squared += sq;
        absolute += abs;
        count += n;
    }

    /** Adds the sums of {@code other}, which must keep the same steps (or none). */
    public void merge(ErrorAccumulator other) {
        if (other.horizon != horizon) {
            throw new IllegalArgumentException(
                    "cannot merge an accumulator of "
                            + other.horizon
                            + " steps into one of "
                            + horizon);
        }
        for (int s = 0; s < horizon; s++) {
            squaredPerStep[s] += other.squaredPerStep[s];
            absolutePerStep[s] += other.absolutePerStep[s];
        }
        squared += other.squared;
        absolute += other.absolute;
        count += other.count;
    }

    /** Forgets everything added. */
    public void reset() {
        Arrays.fill(squaredPerStep, 0);
        Arrays.fill(absolutePerStep, 0);
        squared = 0;
        absolute = 0;
        count = 0;
    }

    /** Values added so far. */
    public long count() {
        return count;
    }

    /** Steps kept separately, 0 if only overall errors are kept. */
    public int horizon() {
        return horizon;
    }

    /** Mean squared error, NaN before anything was added. */
    public double mse() {
        return squared / count;
    }

    /** Mean absolute error, NaN before anything was added. */
    public double mae() {
        return absolute / count;
    }

    /** Mean squared error of forecast step {@code step} (0-based). */
    public double mse(int step) {
        return squaredPerStep[checkStep(step)] / (count / horizon);
    }

    /** Mean absolute error of forecast step {@code step} (0-based). */
    public double mae(int step) {
        return absolutePerStep[checkStep(step)] / (count / horizon);
    }

    /** The overall errors. */
    public ForecastErrors errors() {
        return new ForecastErrors(mse(), mae(), count);
    }

    private int checkStep(int step) {
        if (horizon == 0) {
            throw new IllegalStateException("this accumulator does not keep per-step errors");
        }
        if (step < 0 || step >= horizon) {
            throw new IndexOutOfBoundsException("step " + step + " of " + horizon);
        }
        return step;
    }
}
