package io.blurstream.operators.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * How one forecast fared once its horizon had passed: its errors against the observed values of the
 * fused rows, as published to the evaluations topic (schema {@code
 * schemas/forecast-evaluation.schema.json}). Errors are in the original units of the channels,
 * averaged over the channel values that were observed (imputed and missing values are not truth and
 * do not count).
 *
 * <p>A Flink POJO. The JSON carries {@code "v": 1}.
 */
public class ForecastEvaluation {

    public static final int CURRENT_VERSION = 1;

    public int v = CURRENT_VERSION;

    public String groupId;

    /** The forecast's issue time (grid time of its last input row). */
    public long issuedForMillis;

    public long stepMillis;

    public int horizon;

    public String modelId;

    public long modelVersion;

    /** Observed channel values the forecast was compared with. */
    public int observed;

    /** Values the forecast made: {@code horizon × channels}. */
    public int forecastValues;

    /** Mean absolute error over the observed values; 0 when none was observed. */
    public double mae;

    /** Mean squared error over the observed values; 0 when none was observed. */
    public double mse;

    /** Mean absolute error per horizon step (0 where nothing was observed). */
    public float[] maeByStep;

    /** Mean squared error per horizon step (0 where nothing was observed). */
    public float[] mseByStep;

    /** Observed values per horizon step. */
    public int[] observedByStep;

    public ForecastEvaluation() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecastEvaluation e
                && v == e.v
                && issuedForMillis == e.issuedForMillis
                && stepMillis == e.stepMillis
                && horizon == e.horizon
                && modelVersion == e.modelVersion
                && observed == e.observed
                && forecastValues == e.forecastValues
                && Double.compare(mae, e.mae) == 0
                && Double.compare(mse, e.mse) == 0
                && Objects.equals(groupId, e.groupId)
                && Objects.equals(modelId, e.modelId)
                && Arrays.equals(maeByStep, e.maeByStep)
                && Arrays.equals(mseByStep, e.mseByStep)
                && Arrays.equals(observedByStep, e.observedByStep);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, issuedForMillis, modelId, modelVersion, mae, mse);
    }

    @Override
    public String toString() {
        return "ForecastEvaluation{"
                + groupId
                + "@"
                + issuedForMillis
                + " "
                + modelId
                + " v"
                + modelVersion
                + " mae="
                + mae
                + " mse="
                + mse
                + " observed="
                + observed
                + "/"
                + forecastValues
                + "}";
    }
}
