package io.blurstream.operators.align;

import io.blurstream.operators.catalog.ChannelSpec;
import io.blurstream.operators.catalog.FillPolicy;
import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.FusedRow;
import io.blurstream.operators.record.SensorReading;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Event-time alignment: merges the readings of one group (the key) into one {@link FusedRow} per
 * grid tick. Ticks are the multiples of the group's step since the epoch; tick {@code t_k} covers
 * the interval {@code (t_k - step, t_k]}.
 *
 * <h2>Values and mask, per channel and tick</h2>
 *
 * <ul>
 *   <li><b>OBSERVED</b> when at least one reading lies in the tick's interval. The value is, by
 *       policy: {@code last} the latest of them; {@code mean} their mean; {@code linear} the line
 *       between the latest reading at or before {@code t_k} and the first reading after it,
 *       evaluated at {@code t_k} (the latest reading alone when it is exactly at {@code t_k} or no
 *       later reading is known).
 *   <li><b>IMPUTED</b> when the interval is empty but the latest earlier reading is at most the
 *       channel's {@code maxStaleness} old at {@code t_k}: {@code last} and {@code mean} carry that
 *       reading forward; {@code linear} interpolates between it and the first reading after {@code
 *       t_k}, or carries it when there is none.
 *   <li><b>MISSING</b> (value NaN) otherwise. A reading after the tick alone is never used
 *       backwards.
 * </ul>
 *
 * "The first reading after {@code t_k}" means one in {@code (t_k, t_k + allowedLateness]}: what is
 * certainly in by the time the row is emitted. Looking further would make a row depend on arrival
 * order. Give a group with {@code linear} channels an allowed lateness of at least one step.
 *
 * <h2>Emission, late data, silence</h2>
 *
 * <ul>
 *   <li>Tick {@code t_k} is emitted when the watermark passes {@code t_k + allowedLateness} (one
 *       event-time timer per tick). Rows leave in tick order, one per tick; state and timers are
 *       checkpointed together, so a restore neither repeats nor skips a row.
 *   <li>A group starts ticking at the tick of its first reading. A reading whose tick is earlier
 *       than the first pending tick (and after the last emitted one) moves the start back.
 *   <li>A reading at or before the last emitted tick is <em>late</em>: it goes unchanged to {@link
 *       #LATE_READINGS} and is counted; it never changes an emitted row or the carried values.
 *   <li>Readings flagged {@code bad} are counted and dropped. Several readings of one channel with
 *       the same timestamp: the last to arrive wins.
 *   <li><b>Silence.</b> When the next tick would be more than {@code maxGapTicks} steps after the
 *       group's newest consumed reading, the group stops ticking (counted); if readings further
 *       ahead are already buffered it jumps to the tick of the earliest one instead. Either way the
 *       rows of the silent stretch are not emitted; the next reading restarts ticking, and window
 *       assembly sees the jump in tick times as a gap.
 * </ul>
 *
 * <h2>State (per group)</h2>
 *
 * {@value #BUFFER_STATE}: {@code MapState<Long, BufferedReadings>}, the readings not yet consumed,
 * keyed by their timestamp (the buffering pattern of Flink's interval join); an entry is removed
 * when the tick covering it is emitted, so the buffer holds at most the readings of the pending
 * ticks plus the lookahead. {@value #PROGRESS_STATE}: {@code ValueState<AlignmentProgress>}, the
 * next and last tick and the carried reading per channel.
 */
public class AlignmentFunction extends KeyedProcessFunction<String, SensorReading, FusedRow> {
    private static final long serialVersionUID = 1L;

    /** Readings whose tick was already emitted. */
    public static final OutputTag<SensorReading> LATE_READINGS =
            new OutputTag<>("late-readings", TypeInformation.of(SensorReading.class));

    static final String BUFFER_STATE = "alignment-buffer";
    static final String PROGRESS_STATE = "alignment-progress";

    public static final String METRIC_ROWS = "rowsEmitted";
    public static final String METRIC_LATE = "lateReadings";
    public static final String METRIC_BAD_QUALITY = "badQualityReadings";
    public static final String METRIC_UNROUTABLE = "unroutableReadings";
    public static final String METRIC_SILENT_STOPS = "silentStops";

    private static final MapStateDescriptor<Long, BufferedReadings> BUFFER_DESCRIPTOR =
            new MapStateDescriptor<>(
                    BUFFER_STATE, Types.LONG, TypeInformation.of(BufferedReadings.class));
    private static final ValueStateDescriptor<AlignmentProgress> PROGRESS_DESCRIPTOR =
            new ValueStateDescriptor<>(PROGRESS_STATE, TypeInformation.of(AlignmentProgress.class));

    private final SourceCatalog catalog;

    private transient MapState<Long, BufferedReadings> buffer;
    private transient ValueState<AlignmentProgress> progressState;

    private transient Counter rowsEmitted;
    private transient Counter lateReadings;
    private transient Counter badQualityReadings;
    private transient Counter unroutableReadings;
    private transient Counter silentStops;

    // Per-channel scratch for building one row, sized for the widest group and reused.
    private transient int[] observedCount;
    private transient double[] observedSum;
    private transient long[] latestMillis;
    private transient double[] latestValue;
    private transient long[] aheadMillis;
    private transient double[] aheadValue;

    public AlignmentFunction(SourceCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getMapState(BUFFER_DESCRIPTOR);
        progressState = getRuntimeContext().getState(PROGRESS_DESCRIPTOR);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        rowsEmitted = metrics.counter(METRIC_ROWS);
        lateReadings = metrics.counter(METRIC_LATE);
        badQualityReadings = metrics.counter(METRIC_BAD_QUALITY);
        unroutableReadings = metrics.counter(METRIC_UNROUTABLE);
        silentStops = metrics.counter(METRIC_SILENT_STOPS);
        int width = catalog.maxChannelCount();
        observedCount = new int[width];
        observedSum = new double[width];
        latestMillis = new long[width];
        latestValue = new double[width];
        aheadMillis = new long[width];
        aheadValue = new double[width];
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<FusedRow> out)
            throws Exception {
        GroupSpec group = catalog.group(ctx.getCurrentKey());
        if (group == null || reading.channel < 0 || reading.channel >= group.channelCount()) {
            // The deserializer resolves readings against the same catalog; this only happens
            // when a job is wired with two different catalogs.
            unroutableReadings.inc();
            return;
        }
        if (reading.quality == SensorReading.QUALITY_BAD) {
            badQualityReadings.inc();
            return;
        }
        AlignmentProgress progress = progressState.value();
        boolean progressChanged = progress == null;
        if (progressChanged) {
            progress = AlignmentProgress.initial(group.channelCount());
        }
        long time = reading.timestampMillis;
        if (progress.lastEmittedTickMillis != AlignmentProgress.NONE
                && time <= progress.lastEmittedTickMillis) {
            lateReadings.inc();
            ctx.output(LATE_READINGS, reading);
            return;
        }
        long tick = tickAtOrAfter(time, group.stepMillis());
        long lateness = group.allowedLatenessMillis();
        if (!progress.ticking) {
            progress.ticking = true;
            progress.nextTickMillis = tick;
            ctx.timerService().registerEventTimeTimer(tick + lateness);
            progressChanged = true;
        } else if (tick < progress.nextTickMillis) {
            ctx.timerService().deleteEventTimeTimer(progress.nextTickMillis + lateness);
            progress.nextTickMillis = tick;
            ctx.timerService().registerEventTimeTimer(tick + lateness);
            progressChanged = true;
        }
        // most readings leave the progress as it was: skip the state write (a serialising copy
        // on RocksDB, a hash-map write on the heap)
        if (progressChanged) {
            progressState.update(progress);
        }

        BufferedReadings entry = buffer.get(time);
        if (entry == null) {
            entry = BufferedReadings.empty(group.channelCount());
        }
        entry.values[reading.channel] = reading.value;
        buffer.put(time, entry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FusedRow> out)
            throws Exception {
        GroupSpec group = catalog.group(ctx.getCurrentKey());
        AlignmentProgress progress = progressState.value();
        if (group == null || progress == null || !progress.ticking) {
            return;
        }
        long tick = timestamp - group.allowedLatenessMillis();
        if (tick != progress.nextTickMillis) {
            // A timer of a tick that is no longer pending (the start moved back); its
            // replacement is registered.
            return;
        }
        long earliestPending = emitRow(group, tick, progress, out);
        progress.lastEmittedTickMillis = tick;

        long step = group.stepMillis();
        long next = tick + step;
        long newest = progress.latestCarriedMillis();
        long silence = (long) group.maxGapTicks() * step;
        if (newest == AlignmentProgress.NONE || next - newest > silence) {
            if (earliestPending == Long.MAX_VALUE) {
                progress.ticking = false;
                progress.nextTickMillis = AlignmentProgress.NONE;
                silentStops.inc();
                progressState.update(progress);
                return;
            }
            next = tickAtOrAfter(earliestPending, step);
        }
        progress.nextTickMillis = next;
        ctx.timerService().registerEventTimeTimer(next + group.allowedLatenessMillis());
        progressState.update(progress);
    }

    /**
     * Builds and emits the row of {@code tick}, consumes the buffered readings at or before it into
     * the carried values, and returns the earliest timestamp still buffered (or {@code
     * Long.MAX_VALUE}).
     */
    private long emitRow(
            GroupSpec group, long tick, AlignmentProgress progress, Collector<FusedRow> out)
            throws Exception {
        int channels = group.channelCount();
        long intervalStart = tick - group.stepMillis();
        long lookahead = tick + group.allowedLatenessMillis();
        for (int c = 0; c < channels; c++) {
            observedCount[c] = 0;
            observedSum[c] = 0;
            latestMillis[c] = progress.carriedMillis[c];
            latestValue[c] = progress.carriedValues[c];
            aheadMillis[c] = Long.MAX_VALUE;
        }
        long earliestPending = Long.MAX_VALUE;
        Iterator<Map.Entry<Long, BufferedReadings>> it = buffer.iterator();
        while (it.hasNext()) {
            Map.Entry<Long, BufferedReadings> e = it.next();
            long time = e.getKey();
            double[] values = e.getValue().values;
            if (time <= tick) {
                for (int c = 0; c < channels; c++) {
                    double v = values[c];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (time > intervalStart) {
                        observedCount[c]++;
                        observedSum[c] += v;
                    }
                    if (time > latestMillis[c]) {
                        latestMillis[c] = time;
                        latestValue[c] = v;
                    }
                }
                it.remove();
            } else {
                earliestPending = Math.min(earliestPending, time);
                if (time <= lookahead) {
                    for (int c = 0; c < channels; c++) {
                        double v = values[c];
                        if (!Double.isNaN(v) && time < aheadMillis[c]) {
                            aheadMillis[c] = time;
                            aheadValue[c] = v;
                        }
                    }
                }
            }
        }

        float[] rowValues = new float[channels];
        byte[] mask = new byte[channels];
        for (int c = 0; c < channels; c++) {
            ChannelSpec spec = group.channel(c);
            double value;
            byte state;
            if (observedCount[c] > 0) {
                state = FusedRow.OBSERVED;
                value =
                        switch (spec.fill()) {
                            case LAST -> latestValue[c];
                            case MEAN -> observedSum[c] / observedCount[c];
                            case LINEAR -> interpolate(c, tick);
                        };
            } else if (latestMillis[c] != AlignmentProgress.NONE
                    && tick - latestMillis[c] <= spec.maxStalenessMillis()) {
                state = FusedRow.IMPUTED;
                value = spec.fill() == FillPolicy.LINEAR ? interpolate(c, tick) : latestValue[c];
            } else {
                state = FusedRow.MISSING;
                value = Double.NaN;
            }
            rowValues[c] = (float) value;
            mask[c] = state;
            progress.carriedMillis[c] = latestMillis[c];
            progress.carriedValues[c] = latestValue[c];
        }
        out.collect(new FusedRow(group.id(), tick, rowValues, mask));
        rowsEmitted.inc();
        return earliestPending;
    }

    /** The line through channel {@code c}'s latest and look-ahead readings, at {@code tick}. */
    private double interpolate(int c, long tick) {
        long t0 = latestMillis[c];
        if (t0 == tick || aheadMillis[c] == Long.MAX_VALUE) {
            return latestValue[c];
        }
        double fraction = (double) (tick - t0) / (double) (aheadMillis[c] - t0);
        return latestValue[c] + (aheadValue[c] - latestValue[c]) * fraction;
    }

    /** The smallest multiple of {@code step} that is {@code >= time}. */
    static long tickAtOrAfter(long time, long step) {
        long floor = Math.floorDiv(time, step) * step;
        return floor == time ? floor : floor + step;
    }
}
