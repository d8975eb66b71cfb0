package io.blurstream.operators.window;

import static io.blurstream.operators.record.FusedRow.IMPUTED;
import static io.blurstream.operators.record.FusedRow.MISSING;
import static io.blurstream.operators.record.FusedRow.OBSERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.FusedRow;
import io.blurstream.operators.record.FusedWindow;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Harness tests against {@code catalogs/test-catalog.yaml}, group plant-a (step 1 min, 3 channels,
 * max gap 3 ticks), with windows of 3 rows.
 */
@SuppressWarnings("try") // the harness's close() may throw InterruptedException
class WindowAssemblyFunctionTest {

    private static final long M = 60_000L;
    private static final long T0 = 28_000_005 * M; // an odd tick index
    private static final float NAN = Float.NaN;

    private SourceCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        catalog = SourceCatalog.fromResource("catalogs/test-catalog.yaml");
    }

    @Test
    void emitsEveryTickOnceTheWindowIsFull() throws Exception {
        try (var h = harness(3, 1)) {
            for (int k = 0; k < 5; k++) {
                h.processElement(observed(k, k, 10 + k, 20 + k), T0 + k * M);
            }
            List<FusedWindow> windows = h.extractOutputValues();
            assertThat(windows)
                    .extracting(w -> w.lastTickMillis)
                    .containsExactly(T0 + 2 * M, T0 + 3 * M, T0 + 4 * M);
            FusedWindow last = windows.get(2);
            assertThat(last.values).containsExactly(2, 12, 22, 3, 13, 23, 4, 14, 24);
            assertThat(last.rows).isEqualTo(3);
            assertThat(last.channels).isEqualTo(3);
            assertThat(last.stepMillis).isEqualTo(M);
            assertThat(last.groupId).isEqualTo("plant-a");
            assertThat(last.imputedShare).isZero();
            assertThat(last.valueAt(0, 1)).isEqualTo(12);
        }
    }

    @Test
    void slideFixesIssueTimesOnTheGrid() throws Exception {
        try (var h = harness(3, 2)) {
            for (int k = 0; k < 6; k++) {
                h.processElement(observed(k, 1, 1, 1), T0 + k * M);
            }
            // T0 has an odd index: with slide 2 only ticks T0 + 1, 3, 5 minutes are issue times,
            // and T0 + 1 minute comes before the window is full.
            assertThat(h.extractOutputValues())
                    .extracting(w -> w.lastTickMillis)
                    .containsExactly(T0 + 3 * M, T0 + 5 * M);
        }
    }

    @Test
    void missingValuesAreCarriedForwardAndCountAsImputed() throws Exception {
        try (var h = harness(3, 1)) {
            h.processElement(observed(0, 1, 2, 3), T0);
            h.processElement(row(1, values(4, NAN, 6), mask(OBSERVED, MISSING, IMPUTED)), T0 + M);
            h.processElement(
                    row(2, values(NAN, NAN, 9), mask(MISSING, MISSING, OBSERVED)), T0 + 2 * M);
            FusedWindow w = h.extractOutputValues().get(0);
            assertThat(w.values).containsExactly(1, 2, 3, 4, 2, 6, 4, 2, 9);
            // flow carried twice, level imputed by alignment once, temp carried once
            assertThat(w.imputedShare).isEqualTo(4.0 / 9);
        }
    }

    @Test
    void windowsWaitUntilEveryCellHasAValue() throws Exception {
        try (var h = harness(3, 1)) {
            h.processElement(row(0, values(1, 2, NAN), mask(OBSERVED, OBSERVED, MISSING)), T0);
            h.processElement(row(1, values(1, 2, NAN), mask(OBSERVED, OBSERVED, MISSING)), T0 + M);
            h.processElement(observed(2, 1, 2, 3), T0 + 2 * M);
            h.processElement(observed(3, 1, 2, 3), T0 + 3 * M);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(
                    row(4, values(1, 2, NAN), mask(OBSERVED, OBSERVED, MISSING)), T0 + 4 * M);
            List<FusedWindow> windows = h.extractOutputValues();
            assertThat(windows).extracting(w -> w.lastTickMillis).containsExactly(T0 + 4 * M);
            assertThat(windows.get(0).values).containsExactly(1, 2, 3, 1, 2, 3, 1, 2, 3);
        }
    }

    @Test
    void aMissingTickResetsTheBufferAndForgetsCarriedValues() throws Exception {
        try (var h = harness(3, 1)) {
            h.processElement(observed(0, 1, 1, 1), T0);
            h.processElement(observed(1, 1, 1, 1), T0 + M);
            h.processElement(
                    row(5, values(2, 2, NAN), mask(OBSERVED, OBSERVED, MISSING)), T0 + 5 * M);
            h.processElement(observed(6, 2, 2, 2), T0 + 6 * M);
            h.processElement(observed(7, 2, 2, 2), T0 + 7 * M);
            assertThat(h.extractOutputValues()).as("level at T0+5 could not be carried").isEmpty();
            h.processElement(observed(8, 3, 3, 3), T0 + 8 * M);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            w -> assertThat(w.values).containsExactly(2, 2, 2, 2, 2, 2, 3, 3, 3));
        }
    }

    @Test
    void moreThanMaxGapAllMissingRowsResetTheBuffer() throws Exception {
        try (var h = harness(3, 1)) {
            h.processElement(observed(0, 1, 1, 1), T0);
            h.processElement(observed(1, 1, 1, 1), T0 + M);
            for (int k = 2; k <= 5; k++) {
                h.processElement(allMissing(k), T0 + k * M);
            }
            h.processElement(observed(6, 2, 2, 2), T0 + 6 * M);
            h.processElement(observed(7, 2, 2, 2), T0 + 7 * M);
            h.processElement(observed(8, 2, 2, 2), T0 + 8 * M);
            // T0+2..4 are three all-missing rows (= max gap) and still carried; the fourth
            // (T0+5) resets, after which T0+5 holds empty cells until it leaves the window.
            assertThat(h.extractOutputValues())
                    .extracting(w -> w.lastTickMillis)
                    .containsExactly(T0 + 2 * M, T0 + 3 * M, T0 + 4 * M, T0 + 8 * M);
            assertThat(h.extractOutputValues().get(2).imputedShare).isEqualTo(1.0);
        }
    }

    @Test
    void rowsAtOrBeforeThePreviousTickAreDropped() throws Exception {
        try (var h = harness(2, 1)) {
            h.processElement(observed(0, 1, 1, 1), T0);
            h.processElement(observed(1, 2, 2, 2), T0 + M);
            h.processElement(observed(1, 9, 9, 9), T0 + M);
            h.processElement(observed(0, 9, 9, 9), T0);
            h.processElement(observed(2, 3, 3, 3), T0 + 2 * M);
            assertThat(h.extractOutputValues())
                    .extracting(w -> w.values[0])
                    .containsExactly(1f, 2f);
        }
    }

    @Test
    void snapshotAndRestoreGiveTheSameOutputAsAnUninterruptedRun() throws Exception {
        List<FusedRow> rows = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            boolean gap = k == 7;
            if (gap) {
                continue;
            }
            rows.add(
                    k % 4 == 1
                            ? row(k, values(k, NAN, k), mask(OBSERVED, MISSING, IMPUTED))
                            : observed(k, k, 2 * k, 3 * k));
        }
        List<FusedWindow> expected;
        try (var h = harness(4, 1)) {
            for (FusedRow r : rows) {
                h.processElement(r, r.tickMillis);
            }
            expected = h.extractOutputValues();
        }
        OperatorSubtaskState snapshot;
        List<FusedWindow> actual = new ArrayList<>();
        try (var h = harness(4, 1)) {
            for (FusedRow r : rows.subList(0, 5)) {
                h.processElement(r, r.tickMillis);
            }
            snapshot = h.snapshot(1L, 1L);
            actual.addAll(h.extractOutputValues());
        }
        try (var h = newHarness(4, 1)) {
            h.initializeState(snapshot);
            h.open();
            for (FusedRow r : rows.subList(5, rows.size())) {
                h.processElement(r, r.tickMillis);
            }
            actual.addAll(h.extractOutputValues());
        }
        assertThat(expected).hasSizeGreaterThan(3);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void constructorRejectsNonPositiveSizes() {
        assertThatThrownBy(() -> new WindowAssemblyFunction(catalog, 0, 1))
                .hasMessage("windowRows must be > 0, got 0");
        assertThatThrownBy(() -> new WindowAssemblyFunction(catalog, 3, 0))
                .hasMessage("slideRows must be > 0, got 0");
    }

    private KeyedOneInputStreamOperatorTestHarness<String, FusedRow, FusedWindow> harness(
            int window, int slide) throws Exception {
        var h = newHarness(window, slide);
        h.open();
        return h;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, FusedRow, FusedWindow> newHarness(
            int window, int slide) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowAssemblyFunction(catalog, window, slide)),
                r -> r.groupId,
                Types.STRING);
    }

    private static FusedRow observed(int k, float temp, float flow, float level) {
        return row(k, values(temp, flow, level), mask(OBSERVED, OBSERVED, OBSERVED));
    }

    private static FusedRow allMissing(int k) {
        return row(k, values(NAN, NAN, NAN), mask(MISSING, MISSING, MISSING));
    }

    private static FusedRow row(int k, float[] values, byte[] mask) {
        return new FusedRow("plant-a", T0 + k * M, values, mask);
    }

    private static float[] values(float... values) {
        return values;
    }

    private static byte[] mask(byte... mask) {
        return mask;
    }
}
