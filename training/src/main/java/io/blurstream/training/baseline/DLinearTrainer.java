package io.blurstream.training.baseline;

import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.data.WindowedSplit;
import io.blurstream.training.eval.ErrorAccumulator;
import io.blurstream.training.eval.ForecastErrors;
import io.blurstream.training.optim.AdamW;
import io.blurstream.training.optim.LearningRateSchedule;
import io.blurstream.training.optim.TrainableTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains {@link DLinear} the way the reference code does and measures it on the test split.
 *
 * <p>Defaults are the DLinear ETTh1 script's: Adam (no weight decay), learning rate 0.005, batches
 * of 32 windows, at most 10 epochs, early stopping with patience 3 on the validation MSE, and
 * {@code lradj=type1} (the rate halves every epoch from the third on). Training batches are drawn
 * from a fresh shuffle every epoch and the incomplete last batch is dropped, as the reference
 * loader does ({@code shuffle=True, drop_last=True}). The weights of the epoch with the lowest
 * validation MSE are kept and measured on the test split.
 *
 * <p>Two deliberate differences from the reference, both too small to move the published figures
 * beyond their second decimal: validation and test errors are exact means over every window, where
 * the reference averages per-batch means and may drop an incomplete last batch.
 *
 * <p><b>Reproducibility.</b> Every random choice (bias initialisation, then each epoch's shuffle)
 * comes from one {@link SplittableRandom} seeded with {@link Builder#seed(long)}, and the
 * computation runs on the calling thread in a fixed order, so two runs with the same seed, data and
 * kernel mode ({@code -Dblurstream.kernel}) give bit-identical weights and errors. There is no
 * multi-threading: an ETTh1 epoch takes about 0.1 s and a whole ETTm1 run a few seconds on one core
 * (the products go through the Vector API {@code Gemm}), so threads would buy little and would need
 * a fixed reduction order to stay reproducible.
 *
 * <p>Errors are in standardised units, as the literature reports them.
 */
public final class DLinearTrainer {

    /** What one epoch did; passed to {@link Builder#onEpoch(Consumer)} as it ends. */
    public record Epoch(
            int epoch,
            double learningRate,
            double trainLoss,
            double validationMse,
            boolean improved,
            double seconds) {}

    /**
     * The outcome of a run.
     *
     * @param model the trained model with the weights of the best epoch
     * @param test errors on the test split in standardised units, per horizon step too
     * @param bestValidationMse the lowest validation MSE, whose weights were kept
     * @param bestEpoch the 0-based epoch that reached it, -1 if no epoch had a finite validation
     *     MSE (the initial weights are then returned)
     * @param epochs every epoch run, in order (fewer than the maximum if stopped early)
     * @param seconds wall time of training and evaluation, excluding data loading
     */
    public record Result(
            DLinear model,
            ErrorAccumulator test,
            double bestValidationMse,
            int bestEpoch,
            List<Epoch> epochs,
            double seconds) {

        /** Test MSE and MAE over every test value. */
        public ForecastErrors testErrors() {
            return test.errors();
        }
    }

    /** Windows per forward pass when evaluating: large enough for efficient products. */
    private static final int EVALUATION_BATCH = 256;

    private final int kernel;
    private final double learningRate;
    private final LearningRateSchedule schedule;
    private final int batchSize;
    private final int maxEpochs;
    private final int patience;
    private final long seed;
    private final Consumer<Epoch> onEpoch;

    private DLinearTrainer(Builder builder) {
        this.kernel = builder.kernel;
        this.learningRate = builder.learningRate;
        this.schedule =
                builder.schedule != null
                        ? builder.schedule
                        : new LearningRateSchedule.StepDecay(learningRate, 0.5, 1, 2);
        this.batchSize = builder.batchSize;
        this.maxEpochs = builder.maxEpochs;
        this.patience = builder.patience;
        this.seed = builder.seed;
        this.onEpoch = builder.onEpoch;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains a fresh model on {@code splits.train()}, stops on {@code splits.validation()} and
     * measures the best weights on {@code splits.test()}.
     *
     * @throws IllegalArgumentException if the training split has fewer windows than one batch
     */
    public Result train(ForecastSplits splits) {
        WindowedSplit train = splits.train();
        if (train.count() < batchSize) {
            throw new IllegalArgumentException(
                    "the training split has "
                            + train.count()
                            + " windows, fewer than one batch of "
                            + batchSize);
        }
        long start = System.nanoTime();
        int lookback = splits.lookback();
        int horizon = splits.horizon();
        int channels = splits.channels();
        SplittableRandom random = new SplittableRandom(seed);
        DLinear model = DLinear.initialize(lookback, horizon, kernel, random);
        DLinear best = model.copy();
        List<TrainableTensor> tensors = model.tensors();
        AdamW adam = AdamW.builder().noWeightDecay().build(tensors);

        int rows = batchSize * channels;
        DLinear.Workspace ws = model.newWorkspace(Math.max(rows, EVALUATION_BATCH * channels));
        Batch batch = new Batch(train, batchSize);
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int batches = order.length / batchSize;

        List<Epoch> epochs = new ArrayList<>();
        double bestValidation = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        int sinceBest = 0;
        for (int epoch = 0; epoch < maxEpochs; epoch++) {
            long epochStart = System.nanoTime();
            double lr = schedule.rate(epoch);
            shuffle(order, random);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                batch.fill(order, b * batchSize);
                TrainableTensor.zeroGrads(tensors);
                lossSum += model.lossAndGradients(batch.inputs, batch.targets, rows, ws);
                adam.step(lr);
            }
            double validation = evaluate(model, splits.validation(), ws).mse();
            // Strictly lower, as the reference EarlyStopping: a tie is not an improvement.
            boolean improved = validation < bestValidation;
            if (improved) {
                bestValidation = validation;
                bestEpoch = epoch;
                best.copyFrom(model);
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            Epoch report =
                    new Epoch(
                            epoch,
                            lr,
                            lossSum / batches,
                            validation,
                            improved,
                            (System.nanoTime() - epochStart) / 1e9);
            epochs.add(report);
            if (onEpoch != null) {
                onEpoch.accept(report);
            }
            if (sinceBest >= patience) {
                break;
            }
        }
        ErrorAccumulator test = evaluate(best, splits.test(), ws);
        return new Result(
                best,
                test,
                bestValidation,
                bestEpoch,
                List.copyOf(epochs),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Forecasts every window of {@code split} and accumulates the errors against its targets, per
     * horizon step, in standardised units.
     */
    public static ErrorAccumulator evaluate(DLinear model, WindowedSplit split) {
        int channels = split.channels();
        return evaluate(model, split, model.newWorkspace(EVALUATION_BATCH * channels));
    }

    private static ErrorAccumulator evaluate(
            DLinear model, WindowedSplit split, DLinear.Workspace ws) {
        int channels = split.channels();
        int horizon = split.horizon();
        int windowsPerPass = ws.maxRows() / channels;
        Batch batch = new Batch(split, windowsPerPass);
        float[] forecasts = new float[windowsPerPass * channels * horizon];
        float[] forecast = new float[horizon * channels];
        float[] target = new float[horizon * channels];
        ErrorAccumulator errors = ErrorAccumulator.perStep(horizon);
        for (int first = 0; first < split.count(); first += windowsPerPass) {
            int windows = Math.min(windowsPerPass, split.count() - first);
            batch.fillRange(first, windows);
            model.forward(batch.inputs, windows * channels, forecasts, ws);
            for (int w = 0; w < windows; w++) {
                // Back from channel-major rows to the window's step-major layout.
                Batch.transposeBack(forecasts, w, channels, horizon, forecast);
                Batch.transposeBack(batch.targets, w, channels, horizon, target);
                errors.add(forecast, 0, target, 0, horizon, channels);
            }
        }
        return errors;
    }

    /** Fisher–Yates, so the permutation depends only on the generator's state. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /**
     * Windows gathered into DLinear's layout: one row per (window, channel), the {@code L} inputs
     * (or {@code F} targets) of that channel contiguous. Allocated once per run.
     */
    private static final class Batch {
        private final WindowedSplit split;
        private final int channels;
        private final int lookback;
        private final int horizon;
        private final float[] window;
        private final float[] targetWindow;
        final float[] inputs;
        final float[] targets;

        Batch(WindowedSplit split, int windows) {
            this.split = split;
            this.channels = split.channels();
            this.lookback = split.lookback();
            this.horizon = split.horizon();
            this.window = new float[lookback * channels];
            this.targetWindow = new float[horizon * channels];
            this.inputs = new float[windows * channels * lookback];
            this.targets = new float[windows * channels * horizon];
        }

        /** Windows {@code order[from .. from + batch)}, for training. */
        void fill(int[] order, int from) {
            int windows = inputs.length / (channels * lookback);
            for (int w = 0; w < windows; w++) {
                put(w, order[from + w]);
            }
        }

        /** Windows {@code first .. first + count - 1}, for evaluation. */
        void fillRange(int first, int count) {
            for (int w = 0; w < count; w++) {
                put(w, first + w);
            }
        }

        private void put(int slot, int index) {
            split.copyInput(index, window, 0);
            split.copyTarget(index, targetWindow, 0);
            int row = slot * channels;
            for (int c = 0; c < channels; c++) {
                int in = (row + c) * lookback;
                for (int t = 0; t < lookback; t++) {
                    inputs[in + t] = window[t * channels + c];
                }
                int out = (row + c) * horizon;
                for (int t = 0; t < horizon; t++) {
                    targets[out + t] = targetWindow[t * channels + c];
                }
            }
        }

        /** Window {@code w}'s {@code channels × horizon} rows into {@code horizon × channels}. */
        static void transposeBack(
                float[] rows, int w, int channels, int horizon, float[] stepMajor) {
            int base = w * channels * horizon;
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < horizon; t++) {
                    stepMajor[t * channels + c] = rows[base + c * horizon + t];
                }
            }
        }
    }

    /** Settings, each checked as it is given. */
    public static final class Builder {
        private int kernel = DLinear.DEFAULT_KERNEL;
        private double learningRate = 0.005;
        private LearningRateSchedule schedule;
        private int batchSize = 32;
        private int maxEpochs = 10;
        private int patience = 3;
        private long seed = 2021;
        private Consumer<Epoch> onEpoch;

        private Builder() {}

        /** Moving-average kernel, odd; default 25. */
        public Builder kernel(int kernel) {
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException("kernel must be odd and >= 1, got " + kernel);
            }
            this.kernel = kernel;
            return this;
        }

        /**
         * Initial learning rate, halved every epoch from the third ({@code lradj=type1}); default
         * 0.005. Ignored if {@link #schedule} is set.
         */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0 && Double.isFinite(learningRate))) {
                throw new IllegalArgumentException(
                        "learning rate must be finite and > 0, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /** Learning rate per epoch (0-based), replacing the type1 halving. */
        public Builder schedule(LearningRateSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("schedule must not be null");
            }
            this.schedule = schedule;
            return this;
        }

        /** Windows per batch; default 32. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Maximum epochs; default 10. */
        public Builder maxEpochs(int maxEpochs) {
            if (maxEpochs < 1) {
                throw new IllegalArgumentException("maxEpochs must be >= 1, got " + maxEpochs);
            }
            this.maxEpochs = maxEpochs;
            return this;
        }

        /** Epochs without a validation improvement before stopping; default 3. */
        public Builder patience(int patience) {
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be >= 1, got " + patience);
            }
            this.patience = patience;
            return this;
        }

        /** Seed of the initialisation and the shuffles; default 2021 (the reference's). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Called after every epoch, e.g. to print progress. */
        public Builder onEpoch(Consumer<Epoch> onEpoch) {
            this.onEpoch = onEpoch;
            return this;
        }

        public DLinearTrainer build() {
            return new DLinearTrainer(this);
        }
    }
}
