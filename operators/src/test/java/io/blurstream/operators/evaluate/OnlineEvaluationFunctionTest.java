package io.blurstream.operators.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.ForecastEvaluation;
import io.blurstream.operators.record.FusedRow;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Forecasts scored against the fused rows of their horizon, in Flink's two-input harness. */
class OnlineEvaluationFunctionTest {

    static final long MINUTE = 60_000;

    /** plant-a: 1-minute grid, 30 s allowed lateness, channels temp, flow, level. */
    static final long LATENESS = 30_000;

    static SourceCatalog catalog;

    @BeforeAll
    static void load() throws Exception {
        catalog = SourceCatalog.fromResource("catalogs/test-catalog.yaml");
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, FusedRow, Forecast, ForecastEvaluation>
            harness() throws Exception {
        return harness(10);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, FusedRow, Forecast, ForecastEvaluation>
            harness(int maxHorizonTicks) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new OnlineEvaluationFunction(catalog, maxHorizonTicks)),
                        (FusedRow r) -> r.groupId,
                        (Forecast f) -> f.groupId,
                        Types.STRING);
        h.setup();
        return h;
    }

    static FusedRow row(long minute, float temp, float flow, float level, byte... mask) {
        return new FusedRow(
                "plant-a",
                minute * MINUTE,
                new float[] {temp, flow, level},
                mask.length == 0 ? new byte[3] : mask);
    }

    /** A 2-step forecast issued at {@code minute}. */
    static Forecast forecast(long minute, long version, float... values) {
        Forecast f = new Forecast();
        f.groupId = "plant-a";
        f.issuedForMillis = minute * MINUTE;
        f.stepMillis = MINUTE;
        f.horizon = 2;
        f.channels = new String[] {"temp", "flow", "level"};
        f.values = values;
        f.modelId = "plant";
        f.modelVersion = version;
        return f;
    }

    @Test
    void aForecastIsScoredOnTheObservedValuesWhenTheRowOfItsLastStepArrives() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(forecast(10, 1, 1, 2, 3, 4, 5, 6), 10 * MINUTE);
            h.processElement1(row(11, 2, 2, 5), 11 * MINUTE);
            assertThat(h.extractOutputValues()).isEmpty();
            // step 2: flow imputed, level missing: only temp counts
            h.processElement1(
                    row(12, 1, 9, Float.NaN, FusedRow.OBSERVED, FusedRow.IMPUTED, FusedRow.MISSING),
                    12 * MINUTE);
            ForecastEvaluation e = h.extractOutputValues().get(0);
            // step 1 errors: -1, 0, -2; step 2: 4 - 1 = 3
            assertThat(e.observed).isEqualTo(4);
            assertThat(e.forecastValues).isEqualTo(6);
            assertThat(e.observedByStep).containsExactly(3, 1);
            assertThat(e.mae).isCloseTo((1 + 0 + 2 + 3) / 4.0, within(1e-9));
            assertThat(e.mse).isCloseTo((1 + 0 + 4 + 9) / 4.0, within(1e-9));
            assertThat(e.maeByStep).containsExactly(1f, 3f);
            assertThat(e.mseByStep).containsExactly(5f / 3, 9f);
            assertThat(e.modelVersion).isEqualTo(1);
            assertThat(e.issuedForMillis).isEqualTo(10 * MINUTE);
        }
    }

    @Test
    void aForecastWhoseWatermarkRanAheadOfItsRowsIsScoredOnTheRowsWhenTheyArrive()
            throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(forecast(10, 1, 1, 1, 1, 2, 2, 2), 10 * MINUTE);
            // the forecasts' input woke first after an idle spell: the watermark passes the
            // forecast's due time and every clean-up before its rows are in
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(100 * MINUTE));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement1(row(11, 1, 1, 1), 11 * MINUTE);
            h.processElement1(row(12, 1, 1, 1), 12 * MINUTE);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.observed).isEqualTo(6);
                                assertThat(e.maeByStep).containsExactly(0f, 1f);
                            });
        }
    }

    @Test
    void aSilentGroupsForecastWaitsForItsRowsAndTheEndOfTheInputScoresWhatIsLeft()
            throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(forecast(10, 1, 1, 1, 1, 1, 1, 1), 10 * MINUTE);
            h.processElement2(forecast(30, 1, 1, 1, 1, 1, 1, 1), 30 * MINUTE);
            h.processElement1(row(11, 2, 2, 2), 11 * MINUTE);
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(20 * MINUTE));
            assertThat(h.extractOutputValues()).isEmpty();
            // the group ticks again from minute 20: minute 12 never came
            h.processElement1(row(20, 1, 1, 1), 20 * MINUTE);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(e -> assertThat(e.observedByStep).containsExactly(3, 0));
            h.processElement1(row(31, 4, 4, 4), 31 * MINUTE);
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues())
                    .filteredOn(e -> e.issuedForMillis == 30 * MINUTE)
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.observedByStep).containsExactly(3, 0);
                                assertThat(e.mae).isEqualTo(3.0);
                            });
        }
    }

    @Test
    void servingAndShadowVersionsOfOneTickAreScoredApartAndLateForecastsStillCount()
            throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(row(11, 1, 1, 1), 11 * MINUTE);
            h.processElement1(row(12, 1, 1, 1), 12 * MINUTE);
            // both arrive after their rows (a forecast held back for want of a model)
            h.processElement2(forecast(10, 1, 1, 1, 1, 1, 1, 1), 10 * MINUTE);
            h.processElement2(forecast(10, 2, 2, 2, 2, 2, 2, 2), 10 * MINUTE);
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(13 * MINUTE));
            List<ForecastEvaluation> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(e -> e.modelVersion + ":" + e.mae)
                    .containsExactlyInAnyOrder("1:0.0", "2:1.0");
        }
    }

    @Test
    void pendingForecastsAndRowsSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(forecast(10, 1, 1, 1, 1, 1, 1, 1), 10 * MINUTE);
            h.processElement1(row(11, 3, 3, 3), 11 * MINUTE);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(row(12, 1, 1, 1), 12 * MINUTE);
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(13 * MINUTE));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(e -> assertThat(e.mae).isEqualTo(1.0));
        }
    }

    @Test
    void rowsAreDroppedOnceNoForecastCanNeedThem() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long m = 1; m <= 40; m++) {
                h.processElement1(row(m, 1, 1, 1), m * MINUTE);
                h.processBothWatermarks(
                        new org.apache.flink.streaming.api.watermark.Watermark(m * MINUTE));
            }
            // rows are kept for maxHorizonTicks = 10 ticks; each has one cleanup timer
            assertThat(h.numEventTimeTimers()).isLessThanOrEqualTo(11);
            // a forecast this old finds its rows gone; one within the last 10 ticks finds them
            h.processElement2(forecast(5, 1, 0, 0, 0, 0, 0, 0), 5 * MINUTE);
            h.processElement2(forecast(35, 1, 0, 0, 0, 0, 0, 0), 35 * MINUTE);
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(41 * MINUTE));
            assertThat(h.extractOutputValues())
                    .extracting(e -> e.issuedForMillis / MINUTE + ":" + e.observed)
                    .containsExactlyInAnyOrder("5:0", "35:6");
        }
    }

    @Test
    void onceForecastsArriveRowsAreKeptOnlyAsLongAsTheirHorizonNeeds() throws Exception {
        try (var h = harness(100)) {
            h.open();
            // a 2-step forecast every minute: rows are needed for 2 ticks (plus lateness), not
            // the 100 the function keeps before a group's first forecast
            for (long m = 1; m <= 60; m++) {
                h.processElement1(row(m, m, m, m), m * MINUTE);
                h.processElement2(
                        forecast(m, 1, m + 1, m + 1, m + 1, m + 2, m + 2, m + 2), m * MINUTE);
                h.processBothWatermarks(
                        new org.apache.flink.streaming.api.watermark.Watermark(m * MINUTE));
            }
            // every forecast whose horizon has passed was scored in full, and exactly
            assertThat(h.extractOutputValues())
                    .hasSizeGreaterThanOrEqualTo(55)
                    .allSatisfy(
                            e -> {
                                assertThat(e.observed).isEqualTo(6);
                                assertThat(e.mae).isZero();
                            });
            // rows beyond what 2-step forecasts need are gone: a forecast for minute 40 that
            // arrives now (after the clean-up at minute 48) finds none of its rows, where 100
            // ticks of retention would still hold them
            h.processElement2(forecast(40, 2, 0, 0, 0, 0, 0, 0), 60 * MINUTE);
            h.processBothWatermarks(
                    new org.apache.flink.streaming.api.watermark.Watermark(61 * MINUTE));
            assertThat(h.extractOutputValues())
                    .filteredOn(e -> e.modelVersion == 2)
                    .singleElement()
                    .satisfies(e -> assertThat(e.observed).isZero());
        }
    }
}
