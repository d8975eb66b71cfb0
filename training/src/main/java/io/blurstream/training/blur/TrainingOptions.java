package io.blurstream.training.blur;

/**
 * How to train: the optimiser, its schedule, batching, stopping and threads. The model's shape and
 * dropout live in {@link io.blurstream.model.BlurConfig}.
 *
 * @param epochs most passes over the training windows
 * @param batchSize windows per step
 * @param learningRate peak learning rate of the dense parameters
 * @param recurrentScale the recurrent parameters ({@code ν, θ, γ, B}) learn at this fraction of it
 * @param weightDecay decoupled weight decay of the dense matrices (recurrent ones never decay)
 * @param schedule how the rate moves over the run
 * @param warmupEpochs linear warm-up at the start of {@link Schedule#COSINE}, in epochs; at most
 *     half the run is spent warming up
 * @param decayGamma factor of {@link Schedule#STEP} per epoch
 * @param clipNorm global gradient-norm limit, or 0 for none
 * @param patience stop after this many epochs without a better validation MSE
 * @param seed fixes initial weights, shuffling and dropout: equal seeds give equal runs
 * @param threads worker threads for the gradient (results do not depend on it)
 */
public record TrainingOptions(
        int epochs,
        int batchSize,
        double learningRate,
        double recurrentScale,
        double weightDecay,
        Schedule schedule,
        double warmupEpochs,
        double decayGamma,
        double clipNorm,
        int patience,
        long seed,
        int threads) {

    /** Learning-rate schedules. */
    public enum Schedule {
        /** The same rate throughout. */
        CONSTANT,
        /** Linear warm-up, then a cosine down to 1% of the peak at the last epoch. */
        COSINE,
        /** The rate is multiplied by {@code decayGamma} after every epoch. */
        STEP
    }

    public TrainingOptions {
        positive("epochs", epochs);
        positive("batchSize", batchSize);
        positive("threads", threads);
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(recurrentScale > 0 && recurrentScale <= 10)) {
            throw new IllegalArgumentException(
                    "recurrent learning-rate scale must be in (0, 10], got " + recurrentScale);
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException(
                    "weight decay must be in [0, 1), got " + weightDecay);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is required");
        }
        if (!(warmupEpochs >= 0 && Double.isFinite(warmupEpochs))) {
            throw new IllegalArgumentException("warm-up must be >= 0 epochs, got " + warmupEpochs);
        }
        if (!(decayGamma > 0 && decayGamma <= 1)) {
            throw new IllegalArgumentException("decay gamma must be in (0, 1], got " + decayGamma);
        }
        if (!(clipNorm >= 0 && Double.isFinite(clipNorm))) {
            throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
        }
    }

    /** The defaults of {@code blurstream train}. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(
                20,
                32,
                1e-3,
                0.5,
                0.01,
                Schedule.COSINE,
                1,
                0.5,
                1.0,
                5,
                1,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(
                epochs,
                batchSize,
                learningRate,
                recurrentScale,
                weightDecay,
                schedule,
                warmupEpochs,
                decayGamma,
                clipNorm,
                patience,
                newSeed,
                threads);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
