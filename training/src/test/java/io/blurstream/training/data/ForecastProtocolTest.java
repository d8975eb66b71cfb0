package io.blurstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.blurstream.model.Scaler;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForecastProtocolTest {

    /**
     * Sample counts {@code len(split) - L - F + 1} with {@code len} = B1, B2 - B1 + L and B3 - B2 +
     * L, from the borders in SOURCES.md.
     */
    @ParameterizedTest(name = "{0} L={1} F={2}")
    @CsvSource({
        "ETTh1, 96, 96, 8449, 2785, 2785",
        "ETTh1, 96, 336, 8209, 2545, 2545",
        "ETTh2, 96, 720, 7825, 2161, 2161",
        "ETTm1, 96, 96, 34369, 11425, 11425",
        "exchange_rate, 96, 96, 5120, 665, 1422",
        "national_illness, 36, 24, 617, 74, 170"
    })
    void windowCountsMatchTheReferenceLoaders(
            String name, int lookback, int horizon, int train, int validation, int test) {
        ForecastSplits splits =
                ShippedData.splits(name, ForecastProtocol.MULTIVARIATE, lookback, horizon);
        assertThat(splits.train().count()).isEqualTo(train);
        assertThat(splits.validation().count()).isEqualTo(validation);
        assertThat(splits.test().count()).isEqualTo(test);
    }

    @Test
    void scalerIsFittedOnTrainingRowsOnlyWithPopulationStd() {
        TimeSeriesTable table = ShippedData.table("ETTh1");
        ForecastSplits splits = ShippedData.splits("ETTh1", ForecastProtocol.MULTIVARIATE, 96, 96);
        int ot = table.columnIndex("OT");
        double sum = 0;
        for (int r = 0; r < 8640; r++) {
            sum += table.value(r, ot);
        }
        double mean = sum / 8640;
        double squares = 0;
        for (int r = 0; r < 8640; r++) {
            squares += (table.value(r, ot) - mean) * (table.value(r, ot) - mean);
        }
        Scaler scaler = splits.scaler();
        assertThat(scaler.channels()).isEqualTo(7);
        assertThat(scaler.mean(ot)).isCloseTo(mean, within(1e-12));
        assertThat(scaler.std(ot)).isCloseTo(Math.sqrt(squares / 8640), within(1e-12));
        // Fitting on everything would give a clearly different scaler: OT drifts over two years.
        Scaler all = StandardScaling.fit(table.values(), 7, 0, table.rows());
        assertThat(Math.abs(all.mean(ot) - mean)).isGreaterThan(0.5);
    }

    @Test
    void univariateKeepsOnlyTheTarget() {
        ForecastSplits multi = ShippedData.splits("ETTh1", ForecastProtocol.MULTIVARIATE, 96, 96);
        ForecastSplits uni = ShippedData.splits("ETTh1", ForecastProtocol.UNIVARIATE, 96, 96);
        assertThat(uni.channelNames()).containsExactly("OT");
        assertThat(uni.scaler().mean(0)).isEqualTo(multi.scaler().mean(6));
        assertThat(uni.scaler().std(0)).isEqualTo(multi.scaler().std(6));
        assertThat(uni.test().count()).isEqualTo(multi.test().count());
        float[] multiTarget = new float[96 * 7];
        float[] uniTarget = new float[96];
        multi.test().copyTarget(100, multiTarget, 0);
        uni.test().copyTarget(100, uniTarget, 0);
        for (int t = 0; t < 96; t++) {
            assertThat(uniTarget[t]).isEqualTo(multiTarget[t * 7 + 6]);
        }
    }

    /**
     * 20 rows of one channel, x = row; train [0, 10), validation [10, 14), test [14, 20); L = 3, F
     * = 2.
     */
    @Test
    void windowsAreStandardisedRowBlocksAtTheDocumentedRows() throws IOException {
        StringBuilder csv = new StringBuilder("date,x,OT\n");
        for (int r = 0; r < 20; r++) {
            csv.append(String.format("2020-01-01 %02d:00:00,%d,%d%n", r, r, 2 * r + 1));
        }
        TimeSeriesTable table = TimeSeriesTable.parse(new StringReader(csv.toString()), "t.csv");
        ForecastSplits splits =
                ForecastProtocol.MULTIVARIATE.splits(
                        table, new SplitBorders(10, 14, 20), "OT", 3, 2);
        // Mean of 0..9 is 4.5, population variance (n^2 - 1) / 12 = 8.25.
        assertThat(splits.scaler().mean(0)).isEqualTo(4.5);
        assertThat(splits.scaler().std(0)).isEqualTo(Math.sqrt(8.25));
        assertThat(splits.scaler().mean(1)).isEqualTo(10.0);
        assertThat(splits.scaler().std(1)).isEqualTo(2 * Math.sqrt(8.25));

        WindowedSplit train = splits.train();
        WindowedSplit validation = splits.validation();
        WindowedSplit test = splits.test();
        assertThat(train.count()).isEqualTo(10 - 3 - 2 + 1);
        assertThat(validation.count()).isEqualTo(4 + 3 - 3 - 2 + 1);
        assertThat(test.count()).isEqualTo(6 + 3 - 3 - 2 + 1);
        // The first validation target is the first validation row, row 10; likewise for test.
        assertThat(validation.targetRow(0)).isEqualTo(10);
        assertThat(test.targetRow(0)).isEqualTo(14);
        assertThat(test.targetRow(test.count() - 1) + 2).isEqualTo(20);

        float[] input = new float[1 + 3 * 2];
        validation.copyInput(1, input, 1);
        float[] target = new float[2 * 2];
        validation.copyTarget(1, target, 0);
        double std = Math.sqrt(8.25);
        for (int t = 0; t < 3; t++) {
            int row = 8 + t;
            assertThat(input[1 + 2 * t]).isEqualTo((float) ((row - 4.5) / std));
            assertThat(input[2 + 2 * t]).isEqualTo((float) ((2 * row + 1 - 10.0) / (2 * std)));
        }
        assertThat(target[0]).isEqualTo((float) ((11 - 4.5) / std));
        assertThat(target[2]).isEqualTo((float) ((12 - 4.5) / std));
        double[] raw = new double[4];
        validation.copyRawTarget(1, raw, 0);
        assertThat(raw).containsExactly(11, 23, 12, 25);

        assertThatThrownBy(() -> train.copyInput(train.count(), input, 0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("window 6 of the train split, which has 6");
    }

    @Test
    void rejectsSplitsTooShortForAWindow() throws IOException {
        TimeSeriesTable table =
                TimeSeriesTable.parse(
                        new StringReader(
                                "date,OT\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,2\n"
                                        + "2020-01-01 02:00:00,3\n2020-01-01 03:00:00,4\n"),
                        "t.csv");
        assertThatThrownBy(
                        () ->
                                ForecastProtocol.UNIVARIATE.splits(
                                        table, new SplitBorders(2, 3, 4), "OT", 1, 2))
                .hasMessage(
                        "the train split has 2 rows, too few for one window of lookback 1 +"
                                + " horizon 2");
        assertThatThrownBy(
                        () ->
                                ForecastProtocol.UNIVARIATE.splits(
                                        table, new SplitBorders(2, 3, 4), "OT", 3, 1))
                .hasMessageContaining("shorter than the lookback 3");
        assertThatThrownBy(
                        () ->
                                ForecastProtocol.UNIVARIATE.splits(
                                        table, new SplitBorders(2, 3, 5), "OT", 1, 1))
                .hasMessageContaining("the test split ends at row 5 but t.csv has 4 rows");
        assertThatThrownBy(
                        () ->
                                ForecastProtocol.MULTIVARIATE.splits(
                                        table, new SplitBorders(2, 3, 4), "target", 1, 1))
                .hasMessage("t.csv has no column 'target'; its columns are [OT]");
    }
}
