package io.blurstream.local;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.training.blur.BlurTrainer;
import io.blurstream.training.blur.TrainingOptions;
import io.blurstream.training.blur.TrainingProgress;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.SplitBorders;
import io.blurstream.training.data.TimeSeriesTable;
import java.util.List;
import java.util.Random;

/**
 * A simulated feeder whose load pattern changes: hourly {@code load} and {@code temp} on a daily
 * cycle that turns into a six-hour one at a given row (a new tariff, a new shift plan), with a
 * little noise. A model trained before the change forecasts the old cycle after it; a refit on rows
 * of the new regime does far better. The demo replays it beside the ETT transformers to show the
 * refit loop, and the refit tests use it for the same reason.
 */
public final class DriftingFeeder {

    /** Its channels, in model order. */
    public static final List<String> CHANNELS = List.of("load", "temp");

    private static final long HOUR = 3_600_000;

    private DriftingFeeder() {}

    /**
     * The series: {@code rows} hourly rows from {@code startMillis}, the six-hour cycle from row
     * {@code changeRow} on.
     */
    public static TimeSeriesTable table(long startMillis, int rows, int changeRow, long seed) {
        Random noise = new Random(seed);
        long[] ticks = new long[rows];
        double[] values = new double[rows * 2];
        for (int t = 0; t < rows; t++) {
            double phase = 2 * Math.PI * t / (t < changeRow ? 24.0 : 6.0);
            ticks[t] = startMillis + t * HOUR;
            values[2 * t] = 10 + 3 * Math.sin(phase) + 0.1 * noise.nextGaussian();
            values[2 * t + 1] = 50 + 8 * Math.cos(phase) + 0.3 * noise.nextGaussian();
        }
        return TimeSeriesTable.of("drifting feeder", CHANNELS, ticks, values);
    }

    /**
     * The budget its models train with: {@code epochs} of batches of 16 at a rate of 3e-3 (cosine,
     * half an epoch of warm-up), no weight decay, on {@code threads} threads.
     */
    public static TrainingOptions training(int epochs, int threads) {
        return new TrainingOptions(
                epochs,
                16,
                3e-3,
                0.5,
                0.0,
                TrainingOptions.Schedule.COSINE,
                0.5,
                0.5,
                1.0,
                3,
                3,
                threads);
    }

    /**
     * A small model of the feeder (16 wide, one layer, channel-independent with RevIN), trained on
     * rows {@code [first, first + rows)} with the last fifth for early stopping and validation.
     */
    public static BlurModel trainModel(
            String modelId,
            TimeSeriesTable table,
            int first,
            int rows,
            int window,
            int horizon,
            TrainingOptions training) {
        BlurConfig config =
                BlurConfig.builder()
                        .window(window)
                        .horizon(horizon)
                        .channels(CHANNELS)
                        .gridStepMillis(HOUR)
                        .channelMode(ChannelMode.INDEPENDENT)
                        .revin(true)
                        .hidden(16)
                        .state(16)
                        .layers(1)
                        .dropout(0)
                        .build();
        int trainEnd = first + rows * 7 / 10;
        int validationEnd = first + rows * 17 / 20;
        TimeSeriesTable part = table.slice(first, first + rows);
        return new BlurTrainer(
                        config,
                        ForecastProtocol.MULTIVARIATE.splits(
                                part,
                                new SplitBorders(trainEnd - first, validationEnd - first, rows),
                                "temp",
                                window,
                                horizon),
                        training,
                        TrainingProgress.SILENT)
                .train(modelId)
                .model();
    }
}
