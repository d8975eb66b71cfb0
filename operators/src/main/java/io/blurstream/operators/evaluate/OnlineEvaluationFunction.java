package io.blurstream.operators.evaluate;

import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.ForecastEvaluation;
import io.blurstream.operators.record.FusedRow;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores forecasts against what happened. Keyed by group, it takes the group's fused rows (first
 * input) and its forecasts, of serving and shadow versions alike (second input), and emits a {@link
 * ForecastEvaluation} per forecast: MAE and MSE over the observed values, per step and overall.
 *
 * <h2>Rows decide when a forecast is complete</h2>
 *
 * The row of a forecast's last step (or any later row, when the group skipped ticks) completes it:
 * the forecast is then scored on the rows of its horizon, which wait in state. Alignment emits a
 * group's rows once each, in tick order, and only when they are final, so a forecast is emitted
 * exactly when its last row is. A forecast that arrives after its last row, e.g. one held back for
 * want of a model, is scored at once on the rows still kept.
 *
 * <p>The watermark does not decide it, because the two inputs arrive on different paths: rows
 * straight from alignment, forecasts through inference. After the job has been idle, the input that
 * wakes first runs ahead alone (an idle input does not hold back the watermark), so forecasts could
 * pass their due time before their rows arrived and be scored on nothing. The watermark only (a)
 * drops rows no forecast can need any more, in batches of {@value #CLEANUP_TICKS} ticks by one
 * timer per batch, never the newest horizon's worth received, and (b) at the end of the input
 * ({@code Long.MAX_VALUE}) completes the forecasts still waiting, on the rows they have. A group
 * that falls silent keeps its last forecasts until its rows resume.
 *
 * <h2>State (per group)</h2>
 *
 * Rows for as long as the longest horizon among the group's forecasts needs them (at most, and
 * before the first forecast, {@code maxHorizonTicks}) plus the allowed lateness; the forecasts
 * waiting for their last row, about one per tick and model version (kept through {@link
 * PendingForecastSerializer}, which makes checkpoints cheaper); the newest row's tick.
 *
 * <h2>Metrics</h2>
 *
 * Per group, model and version ({@code group}, {@code model}, {@code version} subgroups) the gauges
 * {@code onlineMae} and {@code onlineMse}: the mean over the last {@value #ROLLING} evaluations.
 * And {@code evaluations}, a counter.
 */
public class OnlineEvaluationFunction
        extends KeyedCoProcessFunction<String, FusedRow, Forecast, ForecastEvaluation> {
    private static final long serialVersionUID = 1L;

    private static final String ROWS_STATE = "evaluation-rows";
    private static final String PENDING_STATE = "evaluation-pending";
    private static final String HORIZON_STATE = "evaluation-horizon";
    private static final String NEWEST_ROW_STATE = "evaluation-newest-row";

    /** Rows are dropped in batches of this many ticks, so one timer serves a batch. */
    static final int CLEANUP_TICKS = 16;

    /** Evaluations the rolling error gauges average over. */
    public static final int ROLLING = 100;

    public static final String METRIC_EVALUATIONS = "evaluations";
    public static final String METRIC_ONLINE_MAE = "onlineMae";
    public static final String METRIC_ONLINE_MSE = "onlineMse";

    private final SourceCatalog catalog;
    private final int maxHorizonTicks;

    private transient MapState<Long, FusedRow> rows;

    /** Forecasts waiting for the row of their last step: "issuedFor/modelId/version" → forecast. */
    private transient MapState<String, Forecast> pending;

    /** The longest horizon, in ticks, among the group's forecasts so far; null before the first. */
    private transient ValueState<Integer> horizon;

    /** The tick of the newest row received; null before the first. */
    private transient ValueState<Long> newestRow;

    private transient org.apache.flink.metrics.Counter evaluations;
    private transient Map<String, RollingError> rolling;

    /** Scratch of {@link #rowsOfSteps}. */
    private transient FusedRow[] rowOfStep;

    /**
     * @param catalog the groups, for their grid step and allowed lateness
     * @param maxHorizonTicks rows are kept at most this many ticks (and this long before a group's
     *     first forecast): the longest horizon that can be scored in full
     */
    public OnlineEvaluationFunction(SourceCatalog catalog, int maxHorizonTicks) {
        if (maxHorizonTicks < 1) {
            throw new IllegalArgumentException(
                    "maxHorizonTicks must be ≥ 1, got " + maxHorizonTicks);
        }
        this.catalog = catalog;
        this.maxHorizonTicks = maxHorizonTicks;
    }

    @Override
    public void open(OpenContext openContext) {
        rows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        ROWS_STATE,
                                        BasicTypeInfo.LONG_TYPE_INFO,
                                        TypeInformation.of(FusedRow.class)));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        PENDING_STATE,
                                        StringSerializer.INSTANCE,
                                        new PendingForecastSerializer()));
        horizon =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        HORIZON_STATE, BasicTypeInfo.INT_TYPE_INFO));
        newestRow =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        NEWEST_ROW_STATE, BasicTypeInfo.LONG_TYPE_INFO));
        evaluations = getRuntimeContext().getMetricGroup().counter(METRIC_EVALUATIONS);
        rolling = new HashMap<>();
    }

    @Override
    public void processElement1(FusedRow row, Context ctx, Collector<ForecastEvaluation> out)
            throws Exception {
        GroupSpec group = catalog.group(row.groupId);
        if (group == null) {
            return;
        }
        rows.put(row.tickMillis, row);
        Long newest = newestRow.value();
        if (newest == null || row.tickMillis > newest) {
            newestRow.update(row.tickMillis);
        }
        for (Iterator<Map.Entry<String, Forecast>> waiting = pending.iterator();
                waiting.hasNext(); ) {
            Forecast forecast = waiting.next().getValue();
            if (row.tickMillis >= lastStepMillis(forecast)) {
                out.collect(score(forecast));
                waiting.remove();
            }
        }
        // the clean-up that drops this row once no forecast can need it: one timer for a batch of
        // rows (timers of one key and time are one)
        long batch = CLEANUP_TICKS * group.stepMillis();
        long keptUntil = row.tickMillis + keptMillis(group);
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(keptUntil, batch) * batch + batch);
    }

    /**
     * How long after its tick a row may still be needed: the longest horizon among the group's
     * forecasts (at most, and before the first one, {@code maxHorizonTicks}), plus the group's
     * allowed lateness, which delays the scoring by as much.
     */
    private long keptMillis(GroupSpec group) throws Exception {
        Integer ticks = horizon.value();
        int kept = ticks == null ? maxHorizonTicks : Math.min(ticks, maxHorizonTicks);
        return kept * group.stepMillis() + group.allowedLatenessMillis();
    }

    @Override
    public void processElement2(Forecast forecast, Context ctx, Collector<ForecastEvaluation> out)
            throws Exception {
        GroupSpec group = catalog.group(forecast.groupId);
        if (group == null) {
            return;
        }
        Integer longest = horizon.value();
        if (longest == null || forecast.horizon > longest) {
            horizon.update(forecast.horizon);
        }
        Long newest = newestRow.value();
        if (newest != null && newest >= lastStepMillis(forecast)) {
            out.collect(score(forecast));
            return;
        }
        pending.put(
                forecast.issuedForMillis + "/" + forecast.modelId + "/" + forecast.modelVersion,
                forecast);
        // fires at the end of the input, if the rows have not completed it by then
        ctx.timerService().registerEventTimeTimer(due(forecast, group));
    }

    private static long lastStepMillis(Forecast forecast) {
        return forecast.issuedForMillis + forecast.horizon * forecast.stepMillis;
    }

    /** When the row of the forecast's last step has been emitted by alignment. */
    private static long due(Forecast forecast, GroupSpec group) {
        return lastStepMillis(forecast) + group.allowedLatenessMillis();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastEvaluation> out)
            throws Exception {
        GroupSpec group = catalog.group(ctx.getCurrentKey());
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the end of the input: no more rows will come
            for (Forecast forecast : pending.values()) {
                out.collect(score(forecast));
            }
            pending.clear();
        }
        if (timestamp % (CLEANUP_TICKS * group.stepMillis()) == 0) {
            // The watermark may have run ahead of rows still on their way (see the class
            // comment), so the newest horizon's worth of rows received stays too.
            Long newest = newestRow.value();
            long kept = keptMillis(group);
            long oldestKept =
                    newest == null ? timestamp - kept : Math.min(timestamp, newest) - kept;
            for (Iterator<Long> ticks = rows.keys().iterator(); ticks.hasNext(); ) {
                if (ticks.next() < oldestKept) {
                    ticks.remove();
                }
            }
        }
    }

    private ForecastEvaluation score(Forecast forecast) throws Exception {
        int channels = forecast.channels.length;
        ForecastEvaluation e = new ForecastEvaluation();
        e.groupId = forecast.groupId;
        e.issuedForMillis = forecast.issuedForMillis;
        e.stepMillis = forecast.stepMillis;
        e.horizon = forecast.horizon;
        e.modelId = forecast.modelId;
        e.modelVersion = forecast.modelVersion;
        e.forecastValues = forecast.horizon * channels;
        e.maeByStep = new float[forecast.horizon];
        e.mseByStep = new float[forecast.horizon];
        e.observedByStep = new int[forecast.horizon];
        FusedRow[] rowOfStep = rowsOfSteps(forecast);
        double absSum = 0;
        double sqSum = 0;
        for (int h = 0; h < forecast.horizon; h++) {
            FusedRow actual = rowOfStep[h];
            if (actual == null) {
                continue;
            }
            double stepAbs = 0;
            double stepSq = 0;
            int n = 0;
            for (int c = 0; c < channels; c++) {
                if (actual.mask[c] != FusedRow.OBSERVED) {
                    continue;
                }
                double error = forecast.values[h * channels + c] - actual.values[c];
                stepAbs += Math.abs(error);
                stepSq += error * error;
                n++;
            }
            if (n > 0) {
                e.maeByStep[h] = (float) (stepAbs / n);
                e.mseByStep[h] = (float) (stepSq / n);
                e.observedByStep[h] = n;
                absSum += stepAbs;
                sqSum += stepSq;
                e.observed += n;
            }
        }
        if (e.observed > 0) {
            e.mae = absSum / e.observed;
            e.mse = sqSum / e.observed;
            rollingFor(e).add(e.mae, e.mse);
        }
        evaluations.inc();
        return e;
    }

    /**
     * The row of each step of {@code forecast}'s horizon (null where there is none), from one pass
     * over the rows kept: a lookup per step would box its tick, at every step of every forecast.
     * The array is this instance's, reused by the next call.
     */
    private FusedRow[] rowsOfSteps(Forecast forecast) throws Exception {
        if (rowOfStep == null || rowOfStep.length < forecast.horizon) {
            rowOfStep = new FusedRow[forecast.horizon];
        }
        Arrays.fill(rowOfStep, null);
        for (FusedRow row : rows.values()) {
            long sinceIssue = row.tickMillis - forecast.issuedForMillis;
            if (sinceIssue > 0 && sinceIssue % forecast.stepMillis == 0) {
                long step = sinceIssue / forecast.stepMillis - 1;
                if (step < forecast.horizon) {
                    rowOfStep[(int) step] = row;
                }
            }
        }
        return rowOfStep;
    }

    private RollingError rollingFor(ForecastEvaluation e) {
        String key = e.groupId + "/" + e.modelId + "/" + e.modelVersion;
        RollingError error = rolling.get(key);
        if (error == null) {
            error = new RollingError();
            MetricGroup metrics =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("group", e.groupId)
                            .addGroup("model", e.modelId)
                            .addGroup("version", Long.toString(e.modelVersion));
            RollingError gauged = error;
            metrics.gauge(METRIC_ONLINE_MAE, gauged::mae);
            metrics.gauge(METRIC_ONLINE_MSE, gauged::mse);
            rolling.put(key, error);
        }
        return error;
    }

    /** Mean of the last {@value #ROLLING} errors of one group and model version. */
    static final class RollingError {
        private final double[] maes = new double[ROLLING];
        private final double[] mses = new double[ROLLING];
        private int count;

        synchronized void add(double mae, double mse) {
            maes[count % ROLLING] = mae;
            mses[count % ROLLING] = mse;
            count++;
        }

        synchronized double mae() {
            return mean(maes);
        }

        synchronized double mse() {
            return mean(mses);
        }

        private double mean(double[] values) {
            int n = Math.min(count, ROLLING);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[i];
            }
            return n == 0 ? 0 : sum / n;
        }
    }
}
