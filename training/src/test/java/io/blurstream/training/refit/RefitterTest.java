package io.blurstream.training.refit;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * A refit on rows whose pattern changed must produce a candidate that beats the old model on the
 * newest rows; the rolling set keeps the newest rows and fills gaps.
 */
class RefitterTest {

    static final long HOUR = 3_600_000;

    /** Hourly rows of two channels: a daily cycle, then (from {@code change}) a 6-hour one. */
    static TimeSeriesTable series(int from, int rows, int change, long seed) {
        Random random = new Random(seed);
        long[] ticks = new long[rows];
        double[] values = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            int t = from + r;
            double period = t < change ? 24 : 6;
            ticks[r] = t * HOUR;
            values[2 * r] = Math.sin(2 * Math.PI * t / period) + 0.05 * random.nextGaussian();
            values[2 * r + 1] =
                    0.5 * Math.cos(2 * Math.PI * t / period) + 2 + 0.05 * random.nextGaussian();
        }
        return TimeSeriesTable.of("synthetic", List.of("a", "b"), ticks, values);
    }

    static TrainingOptions options(int epochs) {
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
                5,
                2);
    }

    static BlurModel champion() {
        BlurConfig config =
                BlurConfig.builder()
                        .window(48)
                        .horizon(12)
                        .channels(List.of("a", "b"))
                        .gridStepMillis(HOUR)
                        .channelMode(ChannelMode.INDEPENDENT)
                        .revin(true)
                        .hidden(16)
                        .state(16)
                        .layers(1)
                        .dropout(0)
                        .build();
        TimeSeriesTable first = series(0, 1200, Integer.MAX_VALUE, 1);
        return new BlurTrainer(
                        config,
                        ForecastProtocol.MULTIVARIATE.splits(
                                first, new SplitBorders(900, 1050, 1200), "b", 48, 12),
                        options(3),
                        TrainingProgress.SILENT)
                .train("synthetic")
                .model();
    }

    static RefitSettings settings(int epochs) {
        return RefitSettings.serving(1000, 200, 0, 150, 150, 0.05, options(epochs));
    }

    @Test
    void aCandidateFineTunedAfterAPatternChangeBeatsTheServingModelOnTheNewestRows() {
        BlurModel champion = champion();
        // the rolling set after the change: 1000 rows of the new 6-hour cycle
        Refitter.Outcome outcome =
                new Refitter(settings(3)).refit(champion, series(1200, 1000, 0, 2));
        assertThat(outcome.candidate()).isNotNull();
        // every forecast lies in the held-out rows; its input may reach back before them
        assertThat(outcome.heldOutWindows()).isEqualTo(150 - 12 + 1);
        assertThat(outcome.candidateMse()).isLessThan(0.5 * outcome.championMse());
        assertThat(outcome.better()).isTrue();
        assertThat(outcome.reason()).contains("better by the 5% margin");
        assertThat(outcome.candidate().modelId()).isEqualTo(champion.modelId());
        assertThat(outcome.candidate().config()).isEqualTo(champion.config());
    }

    @Test
    void tooFewRowsSkipTheRefitAndSaySo() {
        Refitter.Outcome outcome =
                new Refitter(settings(1)).refit(champion(), series(0, 300, Integer.MAX_VALUE, 3));
        assertThat(outcome.candidate()).isNull();
        assertThat(outcome.better()).isFalse();
        assertThat(outcome.reason()).startsWith("too few rows: 300 held");
    }

    @Test
    void theRollingSeriesKeepsTheNewestRowsInOrderAndCarriesMissingValuesForward() {
        RollingSeries series = new RollingSeries(List.of("a", "b"), 3);
        assertThat(series.add(1 * HOUR, new float[] {1, Float.NaN})).isTrue();
        assertThat(series.add(2 * HOUR, new float[] {2, 20})).isTrue();
        assertThat(series.add(2 * HOUR, new float[] {9, 9})).as("not newer").isFalse();
        assertThat(series.add(3 * HOUR, new float[] {Float.NaN, 30})).isTrue();
        assertThat(series.add(4 * HOUR, new float[] {4, 40})).isTrue();
        TimeSeriesTable table = series.toTable("t");
        assertThat(table.rows()).isEqualTo(3);
        assertThat(table.timestampMillis(0)).isEqualTo(2 * HOUR);
        assertThat(table.value(1, 0)).isEqualTo(2); // carried forward
        assertThat(table.value(2, 1)).isEqualTo(40);
        assertThat(series.added()).isEqualTo(4);
        assertThat(series.filled()).isEqualTo(2);
    }

    @Test
    void refitsAreDueEveryNRowsOrEveryStretchOfEventTimeOnceEnoughRowsAreHeld() {
        RollingSeries series = new RollingSeries(List.of("a"), 100);
        RefitSchedule schedule = new RefitSchedule(10, 24 * HOUR, 5);
        List<Integer> due = new java.util.ArrayList<>();
        for (int t = 1; t <= 40; t++) {
            // rows every hour up to 20, then every 6 hours (a sensor slowing down)
            long tick = t <= 20 ? t * HOUR : (20 + (t - 20) * 6) * HOUR;
            series.add(tick, new float[] {t});
            if (schedule.take(series)) {
                due.add(t);
            }
        }
        // rows 10 and 20 by count, then every 24 h of event time: 4 rows of 6 h
        assertThat(due).containsExactly(10, 20, 24, 28, 32, 36, 40);
    }
}
