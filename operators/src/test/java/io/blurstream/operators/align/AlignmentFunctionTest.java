package io.blurstream.operators.align;

import static io.blurstream.operators.record.FusedRow.IMPUTED;
import static io.blurstream.operators.record.FusedRow.MISSING;
import static io.blurstream.operators.record.FusedRow.OBSERVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.FusedRow;
import io.blurstream.operators.record.SensorReading;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Harness tests against {@code catalogs/test-catalog.yaml}: group plant-a (step 1 min, lateness 30
 * s, max gap 3 ticks, staleness 2 min; temp last, flow mean, level linear with staleness 3 min) and
 * plant-b (step 15 min, lateness 0, one channel).
 */
@SuppressWarnings("try") // the harness's close() may throw InterruptedException
class AlignmentFunctionTest {

    private static final long S = 1_000L;
    private static final long M = 60 * S;
    private static final long T0 = 28_000_005 * M; // a tick of both groups (multiple of 15 min)
    private static final int TEMP = 0;
    private static final int FLOW = 1;
    private static final int LEVEL = 2;

    private SourceCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        catalog = SourceCatalog.fromResource("catalogs/test-catalog.yaml");
    }

    @Test
    void eachPolicyFillsObservedImputedAndMissingValues() throws Exception {
        try (var h = harness()) {
            h.processElement(a(FLOW, T0 - 50 * S, 4), T0 - 50 * S);
            h.processElement(a(TEMP, T0 - 40 * S, 1), T0 - 40 * S);
            h.processElement(a(LEVEL, T0 - 30 * S, 10), T0 - 30 * S);
            h.processElement(a(FLOW, T0 - 20 * S, 6), T0 - 20 * S);
            h.processElement(a(TEMP, T0 - 10 * S, 2), T0 - 10 * S);
            h.processElement(a(LEVEL, T0 + 20 * S, 20), T0 + 20 * S);
            h.processElement(a(LEVEL, T0 + 2 * M + 10 * S, 30), T0 + 2 * M + 10 * S);

            h.processWatermark(T0 + 30 * S - 1);
            assertThat(h.extractOutputValues()).as("not before tick + lateness").isEmpty();
            h.processWatermark(T0 + 2 * M + 30 * S);

            assertThat(h.extractOutputValues())
                    .containsExactly(
                            // level: between 10 @ -30 s and 20 @ +20 s, at 0 s
                            row(
                                    "plant-a",
                                    T0,
                                    values(2, 5, 16),
                                    mask(OBSERVED, OBSERVED, OBSERVED)),
                            // temp and flow carry their latest reading; level observed at +20 s
                            row(
                                    "plant-a",
                                    T0 + M,
                                    values(2, 6, 20),
                                    mask(IMPUTED, IMPUTED, OBSERVED)),
                            // temp (70 s + 60 s) and flow are now stale; level interpolates
                            // towards the reading 10 s after the tick
                            row(
                                    "plant-a",
                                    T0 + 2 * M,
                                    values(Float.NaN, Float.NaN, (float) (20 + 10 * (100.0 / 110))),
                                    mask(MISSING, MISSING, IMPUTED)));
        }
    }

    @Test
    void outOfOrderReadingsWithinLatenessAreUsedAndMoveTheStartBack() throws Exception {
        try (var h = harness()) {
            h.processElement(a(TEMP, T0 + M - 10 * S, 7), T0 + M - 10 * S);
            h.processElement(a(TEMP, T0 - 5 * S, 3), T0 - 5 * S);
            h.processWatermark(T0 + 29 * S);
            // a reading for tick T0 that arrives after one for T0 + M but before T0 is emitted
            h.processElement(a(FLOW, T0 - 1, 8), T0 - 1);
            h.processWatermark(T0 + M + 30 * S);

            assertThat(h.extractOutputValues())
                    .containsExactly(
                            row(
                                    "plant-a",
                                    T0,
                                    values(3, 8, Float.NaN),
                                    mask(OBSERVED, OBSERVED, MISSING)),
                            row(
                                    "plant-a",
                                    T0 + M,
                                    values(7, 8, Float.NaN),
                                    mask(OBSERVED, IMPUTED, MISSING)));
            assertThat(h.getSideOutput(AlignmentFunction.LATE_READINGS)).isNull();
        }
    }

    @Test
    void readingsForEmittedTicksGoToTheLateSideOutputAndChangeNothing() throws Exception {
        try (var h = harness()) {
            h.processElement(a(TEMP, T0, 1), T0);
            h.processWatermark(T0 + 30 * S);
            SensorReading late = a(TEMP, T0 - 5 * S, 99);
            h.processElement(late, T0 - 5 * S);
            SensorReading exactlyAtEmittedTick = a(FLOW, T0, 98);
            h.processElement(exactlyAtEmittedTick, T0);
            h.processWatermark(T0 + M + 30 * S);

            assertThat(h.extractOutputValues())
                    .containsExactly(
                            row(
                                    "plant-a",
                                    T0,
                                    values(1, Float.NaN, Float.NaN),
                                    mask(OBSERVED, MISSING, MISSING)),
                            row(
                                    "plant-a",
                                    T0 + M,
                                    values(1, Float.NaN, Float.NaN),
                                    mask(IMPUTED, MISSING, MISSING)));
            assertThat(h.getSideOutput(AlignmentFunction.LATE_READINGS))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(late, exactlyAtEmittedTick);
        }
    }

    @Test
    void badQualityReadingsAreDropped() throws Exception {
        try (var h = harness()) {
            h.processElement(a(TEMP, T0, 1), T0);
            SensorReading bad = a(FLOW, T0, 5);
            bad.quality = SensorReading.QUALITY_BAD;
            h.processElement(bad, T0);
            h.processWatermark(T0 + 30 * S);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            row(
                                    "plant-a",
                                    T0,
                                    values(1, Float.NaN, Float.NaN),
                                    mask(OBSERVED, MISSING, MISSING)));
        }
    }

    @Test
    void silentGroupStopsAfterMaxGapAndResumesOnTheNextReading() throws Exception {
        try (var h = harness()) {
            h.processElement(a(TEMP, T0, 1), T0);
            h.processWatermark(T0 + 100 * M);
            // rows up to three ticks after the last reading, then nothing
            assertThat(ticks(h.extractOutputValues()))
                    .containsExactly(T0, T0 + M, T0 + 2 * M, T0 + 3 * M);

            h.processElement(a(TEMP, T0 + 100 * M + 10 * S, 2), T0 + 100 * M + 10 * S);
            h.processWatermark(T0 + 101 * M + 30 * S);
            assertThat(ticks(h.extractOutputValues()))
                    .containsExactly(T0, T0 + M, T0 + 2 * M, T0 + 3 * M, T0 + 101 * M);
        }
    }

    @Test
    void silentStretchIsSkippedWhenLaterReadingsAreAlreadyBuffered() throws Exception {
        try (var h = harness()) {
            h.processElement(a(TEMP, T0, 1), T0);
            h.processElement(a(TEMP, T0 + 10 * M, 2), T0 + 10 * M);
            h.processWatermark(T0 + 10 * M + 30 * S);
            List<FusedRow> rows = h.extractOutputValues();
            assertThat(ticks(rows))
                    .containsExactly(T0, T0 + M, T0 + 2 * M, T0 + 3 * M, T0 + 10 * M);
            assertThat(rows.get(4).values).containsExactly(2f, Float.NaN, Float.NaN);
        }
    }

    @Test
    void groupsAreIndependent() throws Exception {
        try (var h = harness()) {
            h.processElement(a(TEMP, T0, 1), T0);
            h.processElement(b(T0 + 14 * M, 500), T0 + 14 * M);
            h.processElement(b(T0 + 20 * M, 600), T0 + 20 * M);
            h.processWatermark(T0 + 30 * M);

            List<FusedRow> rows = h.extractOutputValues();
            List<FusedRow> groupB = rows.stream().filter(r -> r.groupId.equals("plant-b")).toList();
            assertThat(groupB)
                    .containsExactly(
                            row("plant-b", T0 + 15 * M, values(500), mask(OBSERVED)),
                            row("plant-b", T0 + 30 * M, values(600), mask(OBSERVED)));
            assertThat(ticks(rows.stream().filter(r -> r.groupId.equals("plant-a")).toList()))
                    .containsExactly(T0, T0 + M, T0 + 2 * M, T0 + 3 * M);
        }
    }

    @Test
    void snapshotAndRestoreGiveTheSameOutputAsAnUninterruptedRun() throws Exception {
        List<FusedRow> expectedRows;
        List<SensorReading> expectedLate;
        try (var h = harness()) {
            firstHalf(h);
            secondHalf(h);
            expectedRows = h.extractOutputValues();
            expectedLate = late(h);
        }

        OperatorSubtaskState snapshot;
        List<FusedRow> rows = new ArrayList<>();
        List<SensorReading> lateReadings = new ArrayList<>();
        try (var h = harness()) {
            firstHalf(h);
            snapshot = h.snapshot(1L, 1L);
            rows.addAll(h.extractOutputValues());
            lateReadings.addAll(late(h));
        }
        try (var h = newHarness()) {
            h.initializeState(snapshot);
            h.open();
            secondHalf(h);
            rows.addAll(h.extractOutputValues());
            lateReadings.addAll(late(h));
        }
        assertThat(expectedRows).hasSizeGreaterThan(5);
        assertThat(expectedLate).isNotEmpty();
        assertThat(rows).isEqualTo(expectedRows);
        assertThat(lateReadings).isEqualTo(expectedLate);
    }

    /** Leaves buffered readings, a look-ahead reading and pending timers in state. */
    private void firstHalf(
            KeyedOneInputStreamOperatorTestHarness<String, SensorReading, FusedRow> h)
            throws Exception {
        h.processElement(a(FLOW, T0 - 50 * S, 4), T0 - 50 * S);
        h.processElement(a(LEVEL, T0 - 30 * S, 10), T0 - 30 * S);
        h.processElement(a(TEMP, T0 - 10 * S, 2), T0 - 10 * S);
        h.processElement(b(T0, 500), T0);
        h.processWatermark(T0 + 31 * S);
        h.processElement(a(LEVEL, T0 + M + 20 * S, 20), T0 + M + 20 * S);
        h.processElement(a(FLOW, T0 + M - 5 * S, 8), T0 + M - 5 * S);
        h.processElement(b(T0 + 16 * M, 510), T0 + 16 * M);
    }

    private void secondHalf(
            KeyedOneInputStreamOperatorTestHarness<String, SensorReading, FusedRow> h)
            throws Exception {
        h.processElement(a(TEMP, T0 - 2 * S, 99), T0 - 2 * S); // late
        h.processWatermark(T0 + 2 * M + 30 * S);
        h.processElement(a(TEMP, T0 + 3 * M, 3), T0 + 3 * M);
        h.processElement(a(LEVEL, T0 + 3 * M + 10 * S, 25), T0 + 3 * M + 10 * S);
        h.processWatermark(T0 + 40 * M);
    }

    private static List<SensorReading> late(
            KeyedOneInputStreamOperatorTestHarness<String, SensorReading, FusedRow> h) {
        var side = h.getSideOutput(AlignmentFunction.LATE_READINGS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void ticksAreMultiplesOfTheStepAtOrAfterTheTime() {
        assertThat(AlignmentFunction.tickAtOrAfter(0, 60)).isZero();
        assertThat(AlignmentFunction.tickAtOrAfter(1, 60)).isEqualTo(60);
        assertThat(AlignmentFunction.tickAtOrAfter(60, 60)).isEqualTo(60);
        assertThat(AlignmentFunction.tickAtOrAfter(61, 60)).isEqualTo(120);
        assertThat(AlignmentFunction.tickAtOrAfter(-1, 60)).isZero();
        assertThat(AlignmentFunction.tickAtOrAfter(-60, 60)).isEqualTo(-60);
        assertThat(AlignmentFunction.tickAtOrAfter(-61, 60)).isEqualTo(-60);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, SensorReading, FusedRow> harness()
            throws Exception {
        var h = newHarness();
        h.open();
        return h;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, SensorReading, FusedRow> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlignmentFunction(catalog)),
                r -> r.groupId,
                Types.STRING);
    }

    private static SensorReading a(int channel, long time, double value) {
        String[] sensors = {"a.temp", "a.flow.1", "a.level"};
        return new SensorReading(
                "plant-a", channel, sensors[channel], time, value, SensorReading.QUALITY_GOOD);
    }

    private static SensorReading b(long time, double value) {
        return new SensorReading("plant-b", 0, "b.power", time, value, SensorReading.QUALITY_GOOD);
    }

    private static FusedRow row(String group, long tick, float[] values, byte[] mask) {
        return new FusedRow(group, tick, values, mask);
    }

    private static float[] values(float... values) {
        return values;
    }

    private static byte[] mask(byte... mask) {
        return mask;
    }

    private static List<Long> ticks(List<FusedRow> rows) {
        return rows.stream().map(r -> r.tickMillis).toList();
    }
}
