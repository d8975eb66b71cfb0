package io.blurstream.training.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.data.SplitBorders;
import io.blurstream.training.data.TimeSeriesTable;
import io.blurstream.training.eval.ForecastErrors;
import io.blurstream.training.optim.TrainableTensor;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DLinear training end to end on a small synthetic series; seconds, not minutes. */
class DLinearTrainerTest {

    private static final int LOOKBACK = 48;
    private static final int HORIZON = 24;
    private static ForecastSplits splits;

    /**
     * 1,200 hourly rows of two channels: a daily and a half-daily sine, and a slower sine on a
     * slight upward trend. Noise-free, so a linear map of the last two days can forecast the next
     * one almost exactly.
     */
    @BeforeAll
    static void sumOfSines() throws IOException {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        StringBuilder csv = new StringBuilder("date,a,OT\n");
        for (int t = 0; t < 1200; t++) {
            double a = Math.sin(2 * Math.PI * t / 24) + 0.3 * Math.sin(2 * Math.PI * t / 12 + 1);
            double b =
                    0.5 * Math.cos(2 * Math.PI * t / 24 + 0.4)
                            + 0.2 * Math.sin(2 * Math.PI * t / 60)
                            + t / 1200.0;
            String date = format.format(Instant.ofEpochSecond(t * 3600L).atOffset(ZoneOffset.UTC));
            csv.append(date).append(',').append(a).append(',').append(b).append('\n');
        }
        TimeSeriesTable table =
                TimeSeriesTable.parse(new StringReader(csv.toString()), "sines.csv");
        splits =
                ForecastProtocol.MULTIVARIATE.splits(
                        table, new SplitBorders(800, 1000, 1200), "OT", LOOKBACK, HORIZON);
    }

    private static DLinearTrainer trainer(long seed) {
        return DLinearTrainer.builder().seed(seed).maxEpochs(6).build();
    }

    @Test
    void fitsASumOfSines() {
        DLinearTrainer.Result result = trainer(7).train(splits);
        ForecastErrors test = result.testErrors();
        // The untrained model forecasts each channel's window mean, an MSE of about 0.5 here;
        // training brings it below 0.01 (0.0028 measured with this seed).
        assertThat(test.mse()).isLessThan(0.01);
        assertThat(test.mae()).isLessThan(0.08);
        assertThat(test.count()).isEqualTo((long) splits.test().count() * HORIZON * 2);
        assertThat(result.test().mse(HORIZON - 1)).isGreaterThan(0);
        ForecastErrors untrained =
                DLinearTrainer.evaluate(
                                DLinear.initialize(
                                        LOOKBACK, HORIZON, 25, new java.util.SplittableRandom(7)),
                                splits.test())
                        .errors();
        assertThat(untrained.mse()).isGreaterThan(20 * test.mse());
    }

    @Test
    void sameSeedIsBitIdenticalAndAnotherSeedIsNot() {
        DLinearTrainer.Result first = trainer(42).train(splits);
        DLinearTrainer.Result second = trainer(42).train(splits);
        List<TrainableTensor> a = first.model().tensors();
        List<TrainableTensor> b = second.model().tensors();
        for (int t = 0; t < a.size(); t++) {
            assertThat(b.get(t).values()).isEqualTo(a.get(t).values());
        }
        assertThat(second.testErrors().mse()).isEqualTo(first.testErrors().mse());
        assertThat(second.epochs())
                .extracting(DLinearTrainer.Epoch::validationMse)
                .isEqualTo(
                        first.epochs().stream().map(DLinearTrainer.Epoch::validationMse).toList());

        DLinearTrainer.Result other = trainer(43).train(splits);
        assertThat(other.model().tensors().get(0).values()).isNotEqualTo(a.get(0).values());
    }

    @Test
    void keepsTheWeightsOfTheBestValidationEpoch() {
        DLinearTrainer.Result result =
                DLinearTrainer.builder().seed(3).maxEpochs(8).patience(2).build().train(splits);
        double best =
                result.epochs().stream()
                        .mapToDouble(DLinearTrainer.Epoch::validationMse)
                        .min()
                        .orElseThrow();
        assertThat(result.bestValidationMse()).isEqualTo(best);
        assertThat(result.epochs().get(result.bestEpoch()).validationMse()).isEqualTo(best);
        assertThat(DLinearTrainer.evaluate(result.model(), splits.validation()).mse())
                .isEqualTo(best);
        // Patience 2: the run stops two epochs after its best unless it ran out of epochs.
        assertThat(result.epochs().size()).isIn(8, result.bestEpoch() + 3);
        // lradj type1: epochs 1 and 2 at the base rate, then halving.
        assertThat(result.epochs().get(1).learningRate()).isEqualTo(0.005);
        if (result.epochs().size() > 2) {
            assertThat(result.epochs().get(2).learningRate()).isEqualTo(0.0025);
        }
    }

    @Test
    void rejectsATrainingSplitSmallerThanABatch() {
        assertThatThrownBy(() -> DLinearTrainer.builder().batchSize(10_000).build().train(splits))
                .hasMessageContaining("fewer than one batch of 10000");
        assertThatThrownBy(() -> DLinearTrainer.builder().kernel(24)).hasMessageContaining("odd");
    }
}
