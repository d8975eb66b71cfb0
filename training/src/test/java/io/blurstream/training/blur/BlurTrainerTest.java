package io.blurstream.training.blur;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.model.Forecaster;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.data.SplitBorders;
import io.blurstream.training.data.TimeSeriesTable;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training end to end on a small synthetic series: it learns, it repeats, it serves. */
class BlurTrainerTest {

    private static final int ROWS = 1200;
    private static final double NOISE = 0.05;
    private static ForecastSplits splits;

    @BeforeAll
    static void syntheticSeries() throws Exception {
        // two channels of daily and weekly sines (hourly rows) with a little noise
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("date,a,b\n");
        for (int t = 0; t < ROWS; t++) {
            double a =
                    Math.sin(2 * Math.PI * t / 24)
                            + 0.5 * Math.sin(2 * Math.PI * t / 168)
                            + NOISE * random.nextGaussian();
            double b = 0.8 * Math.cos(2 * Math.PI * t / 24) + 3 + NOISE * random.nextGaussian();
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "2020-01-%02d %02d:00:00,%.6f,%.6f\n",
                            1 + t / 24 % 28,
                            t % 24,
                            a,
                            b));
        }
        TimeSeriesTable table = TimeSeriesTable.parse(new StringReader(csv.toString()), "sines");
        splits =
                ForecastProtocol.MULTIVARIATE.splits(
                        table, new SplitBorders(840, 1000, ROWS), "b", 48, 12);
    }

    private static BlurConfig config(ChannelMode mode, Direction direction) {
        return BlurConfig.builder()
                .window(48)
                .horizon(12)
                .channels(List.of("a", "b"))
                .channelMode(mode)
                .revin(true)
                .hidden(16)
                .state(16)
                .layers(1)
                .direction(direction)
                .dropout(0.0)
                .build();
    }

    private static TrainingOptions options(int epochs, int threads) {
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
                11,
                threads);
    }

    @Test
    void learnsSumsOfSinesBelowAStatedError() {
        TrainingResult result =
                new BlurTrainer(
                                config(ChannelMode.INDEPENDENT, Direction.BIDIRECTIONAL),
                                splits,
                                options(4, 2),
                                TrainingProgress.SILENT)
                        .train("sines");
        // The series is predictable up to its noise: standardised noise variance is about 0.005.
        // Forecasting the window mean (what an untrained model with RevIN does) scores about 1.
        assertThat(result.test().mse()).isLessThan(0.05);
        assertThat(result.curve()).hasSizeGreaterThanOrEqualTo(1);
        assertThat(result.curve().get(result.curve().size() - 1).trainLoss())
                .isLessThan(result.curve().get(0).trainLoss());
    }

    @Test
    void equalSeedsGiveBitIdenticalRunsWhateverTheThreadCount() {
        BlurConfig config =
                config(ChannelMode.MIXING, Direction.FORWARD).toBuilder().dropout(0.1).build();
        TrainingResult one =
                new BlurTrainer(config, splits, options(1, 1), TrainingProgress.SILENT)
                        .train("repeat");
        TrainingResult two =
                new BlurTrainer(config, splits, options(1, 2), TrainingProgress.SILENT)
                        .train("repeat");
        for (String name : one.model().parameters().names()) {
            assertThat(two.model().parameters().get(name))
                    .as(name)
                    .containsExactly(one.model().parameters().get(name));
        }
        // the weights are identical; evaluation with a worker pool may sum in another order
        assertThat(two.test().mse())
                .isCloseTo(one.test().mse(), org.assertj.core.data.Percentage.withPercentage(1e-6));
        TrainingResult otherSeed =
                new BlurTrainer(config, splits, options(1, 1).withSeed(12), TrainingProgress.SILENT)
                        .train("repeat");
        assertThat(otherSeed.model().parameters().get("encoder.weight"))
                .isNotEqualTo(one.model().parameters().get("encoder.weight"));
    }

    @Test
    void aSavedModelReloadsToIdenticalForecastsInOriginalUnits() throws Exception {
        TrainingResult result =
                new BlurTrainer(
                                config(ChannelMode.INDEPENDENT, Direction.BIDIRECTIONAL),
                                splits,
                                options(1, 1),
                                TrainingProgress.SILENT)
                        .train("saved");
        BlurModel reloaded = ModelCodec.read(ModelCodec.toBytes(result.model()));
        assertThat(reloaded.scaler()).isEqualTo(splits.scaler());
        int count = 5;
        int inputSize = splits.test().inputSize();
        float[] windows = new float[count * inputSize];
        double[] raw = new double[inputSize];
        for (int w = 0; w < count; w++) {
            splits.test().copyRawInput(w * 7, raw, 0);
            for (int i = 0; i < inputSize; i++) {
                windows[w * inputSize + i] = (float) raw[i];
            }
        }
        for (String name : result.model().parameters().names()) {
            assertThat(reloaded.parameters().get(name))
                    .as(name)
                    .containsExactly(result.model().parameters().get(name));
        }
        float[] original = forecast(result.model(), windows, count);
        float[] again = forecast(reloaded, windows, count);
        // identical weights; the vector EXP may round differently if the JIT compiles in between
        for (int i = 0; i < original.length; i++) {
            assertThat(again[i]).isCloseTo(original[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        // in original units: channel b sits around 3, far from its standardised 0
        assertThat(original[1]).isBetween(1.5f, 4.5f);
    }

    private static float[] forecast(BlurModel model, float[] windows, int count) {
        Forecaster forecaster = new Forecaster(model);
        float[] out = new float[count * model.config().horizon() * model.config().channelCount()];
        forecaster.forecast(windows, 0, count, out, 0, forecaster.newWorkspace(count));
        return out;
    }
}
