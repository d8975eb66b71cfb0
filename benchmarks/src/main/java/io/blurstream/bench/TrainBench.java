package io.blurstream.bench;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.training.blur.BlurTrainer;
import io.blurstream.training.blur.TrainingOptions;
import io.blurstream.training.blur.TrainingProgress;
import io.blurstream.training.data.Dataset;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Times the Java trainer on the training-speed configuration of the training issue: ETTh1, lookback
 * 96, horizon 96, all channels, channel-independent with RevIN, H = N = 64, L = 2, dropout 0.1,
 * batch 32 and the optimiser settings of {@code blurstream train}.
 *
 * <p>It runs the real {@link BlurTrainer} (batch assembly, gradient, clipping, AdamW, parameter
 * refresh) and reads the clock after every optimiser step through {@link TrainingProgress}. The
 * first {@code warmupSteps} steps are not timed (JIT compilation, first touch of the scratch
 * memory); the rest give the time per step, and seconds per epoch are that times the steps of an
 * epoch. Validation is not run: the trainer is stopped after the last timed step, before it
 * validates.
 */
final class TrainBench {

    static final String DATASET = "ETTh1";
    static final int HORIZON = 96;
    static final int WIDTH = 64;
    static final int LAYERS = 2;
    static final double DROPOUT = 0.1;

    /**
     * One timed run.
     *
     * @param stepsPerEpoch optimiser steps of a whole epoch
     * @param warmupSteps untimed steps at the start
     * @param stepsTimed steps after the warm-up
     * @param msPerStep mean wall time of a timed step
     * @param secondsPerEpoch {@code msPerStep × stepsPerEpoch / 1000}
     * @param epochWallSeconds wall time of all steps of the epoch, warm-up and set-up included, if
     *     the whole epoch ran; else {@code null}
     * @param firstLoss mean training loss (MSE, standardised units) of the first steps
     * @param finalLoss mean training loss of the last steps
     * @param lossSteps how many steps {@code firstLoss} and {@code finalLoss} average
     * @param foreignCpuCores cores kept busy by other processes while timing, or {@code null}
     */
    record Result(
            int stepsPerEpoch,
            int warmupSteps,
            int stepsTimed,
            double msPerStep,
            double secondsPerEpoch,
            Double epochWallSeconds,
            double firstLoss,
            double finalLoss,
            int lossSteps,
            Double foreignCpuCores) {}

    private TrainBench() {}

    /** The model {@code blurstream train --dataset ETTh1} trains by default. */
    static BlurConfig config(Dataset dataset, ForecastSplits splits) {
        return BlurConfig.builder()
                .window(splits.lookback())
                .horizon(splits.horizon())
                .channels(splits.channelNames())
                .gridStepMillis(dataset.stepMillis())
                .channelMode(ChannelMode.INDEPENDENT)
                .revin(true)
                .hidden(WIDTH)
                .state(WIDTH)
                .layers(LAYERS)
                .direction(Direction.BIDIRECTIONAL)
                .dropout(DROPOUT)
                .build();
    }

    /** The defaults of {@code blurstream train}, for one epoch on {@code threads} threads. */
    static TrainingOptions options(int threads) {
        TrainingOptions d = TrainingOptions.defaults();
        return new TrainingOptions(
                1,
                d.batchSize(),
                d.learningRate(),
                d.recurrentScale(),
                d.weightDecay(),
                d.schedule(),
                0,
                d.decayGamma(),
                d.clipNorm(),
                d.patience(),
                d.seed(),
                threads);
    }

    /**
     * Trains for {@code warmupSteps + steps} steps ({@code steps = 0}: the whole epoch) and times
     * all but the warm-up.
     *
     * @param log receives a progress line about every ten seconds
     */
    static Result run(
            Path dataDirectory, int threads, int steps, int warmupSteps, Consumer<String> log)
            throws IOException {
        Dataset dataset = DatasetCatalog.lookup(DATASET);
        ForecastSplits splits =
                dataset.splits(
                        dataDirectory,
                        ForecastProtocol.MULTIVARIATE,
                        dataset.defaultLookback(),
                        HORIZON);
        TrainingOptions options = options(threads);
        int windows = splits.train().count();
        int stepsPerEpoch = (windows + options.batchSize() - 1) / options.batchSize();
        int planned = steps == 0 ? stepsPerEpoch : Math.min(stepsPerEpoch, warmupSteps + steps);
        if (planned <= warmupSteps) {
            throw new IllegalArgumentException(
                    "an epoch has "
                            + stepsPerEpoch
                            + " steps, so nothing is left to time after "
                            + warmupSteps
                            + " warm-up steps; lower --warmup-steps");
        }
        log.accept(
                String.format(
                        Locale.ROOT,
                        "Java trainer: %s, %d training windows, %d steps per epoch, timing %d"
                                + " steps after %d warm-up steps on %d threads",
                        DATASET,
                        windows,
                        stepsPerEpoch,
                        planned - warmupSteps,
                        warmupSteps,
                        threads));
        StepClock clock = new StepClock(planned, warmupSteps, log);
        BlurTrainer trainer = new BlurTrainer(config(dataset, splits), splits, options, clock);
        clock.start();
        try {
            trainer.train("bench-train");
        } catch (StepClock.Done expected) {
            // the planned steps are done; the trainer would validate next
        }
        return clock.result(stepsPerEpoch);
    }

    /** Reads the clock after every step and stops the trainer after the last planned one. */
    private static final class StepClock implements TrainingProgress {

        private static final long LOG_NANOS = 10_000_000_000L;

        /**
         * Thrown out of {@link #step} to end the run. {@link BlurTrainer} has no stop hook, and the
         * progress callback runs on the training thread after a complete step, so this leaves the
         * trainer at a step boundary; its worker pool is closed by its try-with-resources.
         */
        static final class Done extends RuntimeException {
            Done() {
                super("planned steps done", null, false, false);
            }
        }

        private final int planned;
        private final int warmupSteps;
        private final Consumer<String> log;
        private final double[] losses;
        private long started;
        private long lastLog;
        private CpuLoad.Snapshot timingStart;
        private CpuLoad.Snapshot timingEnd;
        private long epochEnd = -1;
        private double previousSum;
        private int done;

        StepClock(int planned, int warmupSteps, Consumer<String> log) {
            this.planned = planned;
            this.warmupSteps = warmupSteps;
            this.log = log;
            this.losses = new double[planned];
        }

        void start() {
            started = System.nanoTime();
            lastLog = started;
            if (warmupSteps == 0) {
                timingStart = CpuLoad.snapshot();
            }
        }

        @Override
        public void step(int epoch, int step, int stepsPerEpoch, double loss) {
            long now = System.nanoTime();
            // the trainer reports the running mean of the epoch: recover this step's loss
            double sum = loss * step;
            losses[done] = sum - previousSum;
            previousSum = sum;
            done++;
            if (done == warmupSteps) {
                timingStart = CpuLoad.snapshot();
            }
            if (step == stepsPerEpoch) {
                epochEnd = now;
            }
            if (now - lastLog >= LOG_NANOS) {
                lastLog = now;
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "  Java step %d/%d  %.1f ms/step so far",
                                done,
                                planned,
                                (now - started) / 1e6 / done));
            }
            if (done == planned) {
                timingEnd = CpuLoad.snapshot();
                throw new Done();
            }
        }

        Result result(int stepsPerEpoch) {
            if (done != planned) {
                throw new IllegalStateException(
                        "the trainer stopped after " + done + " of " + planned + " steps");
            }
            int timed = planned - warmupSteps;
            double msPerStep = (timingEnd.wallNanos() - timingStart.wallNanos()) / 1e6 / timed;
            int tail = Math.min(20, planned);
            return new Result(
                    stepsPerEpoch,
                    warmupSteps,
                    timed,
                    msPerStep,
                    msPerStep * stepsPerEpoch / 1000,
                    epochEnd < 0 ? null : (epochEnd - started) / 1e9,
                    mean(losses, 0, tail),
                    mean(losses, planned - tail, planned),
                    tail,
                    CpuLoad.foreignCores(timingStart, timingEnd));
        }

        private static double mean(double[] values, int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values[i];
            }
            return sum / (to - from);
        }
    }
}
