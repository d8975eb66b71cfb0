package io.blurstream.operators.window;

import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.FusedRow;
import io.blurstream.operators.record.FusedWindow;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Cuts forecaster input windows from a group's fused rows: keeps the last {@code W} rows and emits
 * them as one {@link FusedWindow} every {@code slide} ticks.
 *
 * <ul>
 *   <li><b>Filling.</b> A MISSING value is replaced by the channel's last value (carried forward)
 *       and counts as imputed. A channel that has had no value since the last reset cannot be
 *       carried; such cells stay empty, and a window is only emitted when it has no empty cell (so
 *       never while a channel has no value at all yet, and not before those early cells have left
 *       the window).
 *   <li><b>When.</b> Once {@code W} rows are held, a window is emitted at every tick whose index
 *       ({@code tick / step}) is a multiple of {@code slide}: issue times are fixed on the grid,
 *       whatever the start of the stream or the last reset. A window due while incomplete is
 *       skipped (counted).
 *   <li><b>Resets.</b> A row whose tick is not exactly one step after the previous row (the group
 *       went silent, see {@code AlignmentFunction}) clears the ring before it is added; so does the
 *       {@code (maxGapTicks + 1)}-th consecutive all-missing row. A reset also forgets the carried
 *       values. A row at or before the previous tick cannot come from alignment and is dropped
 *       (counted).
 * </ul>
 *
 * <p>State (per group): {@value #RING_STATE}, a {@code ValueState<WindowRing>}.
 */
public class WindowAssemblyFunction extends KeyedProcessFunction<String, FusedRow, FusedWindow> {
    private static final long serialVersionUID = 1L;

    static final String RING_STATE = "window-ring";

    public static final String METRIC_WINDOWS = "windowsEmitted";
    public static final String METRIC_INCOMPLETE = "incompleteWindowsSkipped";
    public static final String METRIC_GAP_RESETS = "gapResets";
    public static final String METRIC_MISSING_RESETS = "allMissingResets";
    public static final String METRIC_OUT_OF_ORDER = "outOfOrderRows";
    public static final String METRIC_UNROUTABLE = "unroutableRows";

    private static final ValueStateDescriptor<WindowRing> RING_DESCRIPTOR =
            new ValueStateDescriptor<>(RING_STATE, TypeInformation.of(WindowRing.class));

    private final SourceCatalog catalog;
    private final int windowRows;
    private final int slideRows;

    private transient ValueState<WindowRing> ringState;
    private transient Counter windowsEmitted;
    private transient Counter incompleteWindows;
    private transient Counter gapResets;
    private transient Counter missingResets;
    private transient Counter outOfOrderRows;
    private transient Counter unroutableRows;

    /**
     * @param catalog gives each group's step, channel count and max gap
     * @param windowRows rows per window {@code W} (the model's window), > 0
     * @param slideRows ticks between two windows of a group, > 0
     */
    public WindowAssemblyFunction(SourceCatalog catalog, int windowRows, int slideRows) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (windowRows <= 0) {
            throw new IllegalArgumentException("windowRows must be > 0, got " + windowRows);
        }
        if (slideRows <= 0) {
            throw new IllegalArgumentException("slideRows must be > 0, got " + slideRows);
        }
        this.windowRows = windowRows;
        this.slideRows = slideRows;
    }

    @Override
    public void open(OpenContext openContext) {
        ringState = getRuntimeContext().getState(RING_DESCRIPTOR);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        windowsEmitted = metrics.counter(METRIC_WINDOWS);
        incompleteWindows = metrics.counter(METRIC_INCOMPLETE);
        gapResets = metrics.counter(METRIC_GAP_RESETS);
        missingResets = metrics.counter(METRIC_MISSING_RESETS);
        outOfOrderRows = metrics.counter(METRIC_OUT_OF_ORDER);
        unroutableRows = metrics.counter(METRIC_UNROUTABLE);
    }

    @Override
    public void processElement(FusedRow row, Context ctx, Collector<FusedWindow> out)
            throws Exception {
        GroupSpec group = catalog.group(ctx.getCurrentKey());
        int channels = group == null ? -1 : group.channelCount();
        if (group == null || row.values.length != channels || row.mask.length != channels) {
            unroutableRows.inc();
            return;
        }
        WindowRing ring = ringState.value();
        if (ring == null) {
            ring = WindowRing.create(windowRows, channels);
        }
        long step = group.stepMillis();
        if (ring.lastTickMillis != WindowRing.NONE) {
            if (row.tickMillis <= ring.lastTickMillis) {
                outOfOrderRows.inc();
                return;
            }
            if (row.tickMillis != ring.lastTickMillis + step) {
                ring.clear();
                gapResets.inc();
            }
        }
        int run = row.allMissing() ? ring.allMissingRun + 1 : 0;
        if (run == group.maxGapTicks() + 1) {
            ring.clear();
            missingResets.inc();
        }
        ring.allMissingRun = run;
        append(ring, row, channels);
        ringState.update(ring);

        if (ring.size == windowRows
                && Math.floorMod(Math.floorDiv(row.tickMillis, step), (long) slideRows) == 0) {
            if (ring.emptyCells == 0) {
                out.collect(toWindow(ring, group, channels));
                windowsEmitted.inc();
            } else {
                incompleteWindows.inc();
            }
        }
    }

    /** Writes {@code row} into the head slot, carrying channels' last values into its gaps. */
    private void append(WindowRing ring, FusedRow row, int channels) {
        int base = ring.head * channels;
        for (int c = 0; c < channels; c++) {
            if (ring.cells[base + c] == WindowRing.CELL_EMPTY && ring.size == windowRows) {
                ring.emptyCells--; // the evicted row's empty cell leaves the window
            }
            float value = row.values[c];
            byte cell;
            if (row.mask[c] == FusedRow.MISSING) {
                value = ring.lastValues[c];
                cell = Float.isNaN(value) ? WindowRing.CELL_EMPTY : WindowRing.CELL_IMPUTED;
            } else {
                cell =
                        row.mask[c] == FusedRow.OBSERVED
                                ? WindowRing.CELL_OBSERVED
                                : WindowRing.CELL_IMPUTED;
                ring.lastValues[c] = value;
            }
            if (cell == WindowRing.CELL_EMPTY) {
                ring.emptyCells++;
            }
            ring.values[base + c] = value;
            ring.cells[base + c] = cell;
        }
        ring.head = (ring.head + 1) % windowRows;
        ring.size = Math.min(ring.size + 1, windowRows);
        ring.lastTickMillis = row.tickMillis;
    }

    /** Copies the full ring, oldest row first, into a new window. */
    private FusedWindow toWindow(WindowRing ring, GroupSpec group, int channels) {
        float[] values = new float[windowRows * channels];
        int imputed = 0;
        // When full, the head slot holds the oldest row.
        for (int r = 0; r < windowRows; r++) {
            int slot = (ring.head + r) % windowRows;
            System.arraycopy(ring.values, slot * channels, values, r * channels, channels);
            for (int c = 0; c < channels; c++) {
                if (ring.cells[slot * channels + c] == WindowRing.CELL_IMPUTED) {
                    imputed++;
                }
            }
        }
        FusedWindow window =
                new FusedWindow(
                        group.id(),
                        ring.lastTickMillis,
                        group.stepMillis(),
                        windowRows,
                        channels,
                        values,
                        (double) imputed / values.length);
        window.assembledAtMillis = System.currentTimeMillis();
        return window;
    }
}
