package io.blurstream.training.optim;

/**
 * The learning rate as a pure function of a 0-based step counter. Whether a "step" is an optimiser
 * step or an epoch is the caller's choice; the schedules do not care.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate for step {@code step} (0-based, {@code >= 0}). */
    double rate(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double rate) {
        return new Constant(rate);
    }

    /**
     * Linear warm-up to {@code peak}, then cosine decay to {@code floor}; see {@link WarmupCosine}.
     */
    static LearningRateSchedule warmupCosine(
            double peak, long warmupSteps, long totalSteps, double floor) {
        return new WarmupCosine(peak, warmupSteps, totalSteps, floor);
    }

    /** {@code base × gamma^⌊step / period⌋}, PyTorch's {@code StepLR}. */
    static LearningRateSchedule stepDecay(double base, double gamma, long period) {
        return new StepDecay(base, gamma, period, period);
    }

    /**
     * @see #constant(double)
     */
    record Constant(double rate) implements LearningRateSchedule {
        public Constant {
            requirePositive("rate", rate);
        }

        @Override
        public double rate(long step) {
            requireStep(step);
            return rate;
        }
    }

    /**
     * Steps {@code 0 .. warmupSteps - 1} rise linearly, {@code peak × (step + 1) / warmupSteps}, so
     * the first step already learns and the last warm-up step reaches the peak. Then half a cosine
     * takes the rate from {@code peak} at step {@code warmupSteps} to {@code floor} at step {@code
     * totalSteps}, and it stays at {@code floor} after that.
     */
    record WarmupCosine(double peak, long warmupSteps, long totalSteps, double floor)
            implements LearningRateSchedule {
        public WarmupCosine {
            requirePositive("peak", peak);
            if (!(floor >= 0 && floor <= peak)) {
                throw new IllegalArgumentException(
                        "floor must be in [0, peak = " + peak + "], got " + floor);
            }
            if (warmupSteps < 0 || totalSteps <= warmupSteps) {
                throw new IllegalArgumentException(
                        "need 0 <= warmupSteps < totalSteps, got warmupSteps "
                                + warmupSteps
                                + ", totalSteps "
                                + totalSteps);
            }
        }

        @Override
        public double rate(long step) {
            requireStep(step);
            if (step < warmupSteps) {
                return peak * (step + 1) / warmupSteps;
            }
            if (step >= totalSteps) {
                return floor;
            }
            double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    }

    /**
     * {@code base} until step {@code firstDecay}, then multiplied by {@code gamma} there and every
     * {@code period} steps after. {@code firstDecay = period} is PyTorch's {@code StepLR}; the
     * DLinear / Autoformer {@code lradj=type1} rule (halve every epoch, the first halving after the
     * second epoch) is {@code StepDecay(base, 0.5, 1, 2)} counted in epochs.
     */
    record StepDecay(double base, double gamma, long period, long firstDecay)
            implements LearningRateSchedule {
        public StepDecay {
            requirePositive("base", base);
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
            }
            if (period < 1 || firstDecay < 0) {
                throw new IllegalArgumentException(
                        "need period >= 1 and firstDecay >= 0, got "
                                + period
                                + " and "
                                + firstDecay);
            }
        }

        @Override
        public double rate(long step) {
            requireStep(step);
            long decays = step < firstDecay ? 0 : 1 + (step - firstDecay) / period;
            return base * Math.pow(gamma, decays);
        }
    }

    private static void requirePositive(String what, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + value);
        }
    }

    private static void requireStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
    }
}
