package io.blurstream.operators.record;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Arrays;
import java.util.Objects;

/**
 * A forecast for one group, in the original units of its channels, as published to the forecast
 * topic (schema {@code schemas/forecast.schema.json}).
 *
 * <p>Layout: {@link #values} holds {@code horizon × channels.length} numbers row-major, step by
 * step ({@code values[h * C + c]} is channel {@code channels[c]} at time {@code issuedForMillis +
 * (h + 1) * stepMillis}). It is the forecaster's output array as is, so the inference function
 * copies nothing, and the names travel with it, so a consumer needs no catalog to read it.
 *
 * <p>A Flink POJO. The JSON carries {@code "v": 1}; a change that removes or retypes a field bumps
 * it.
 */
public class Forecast {

    /** The JSON format version this build writes. */
    public static final int CURRENT_VERSION = 1;

    /** Format version of this document. */
    public int v = CURRENT_VERSION;

    /** The catalog group forecast. */
    public String groupId;

    /** The grid time of the last input row; the first forecast step is one step later. */
    public long issuedForMillis;

    /** Grid step between forecast steps, milliseconds. */
    public long stepMillis;

    /** Number of forecast steps. */
    public int horizon;

    /** Channel names, in the order of the columns of {@link #values}. */
    public String[] channels;

    /** {@code horizon × channels.length} forecast values, row-major, original units. */
    public float[] values;

    /** Id of the model that produced the forecast. */
    public String modelId;

    /** Version of that model. */
    public long modelVersion;

    /** Share of the input window's values that were imputed, in [0, 1]. */
    public double imputedShare;

    /**
     * Processing latency in milliseconds: wall-clock time from the moment the window was complete
     * in the job to the moment the forecast was handed to Kafka (set again by the sink, see {@link
     * #stampWritten}).
     */
    public long latencyMillis;

    /**
     * Wall-clock time at which the window was complete in the job: travels with the forecast to the
     * sink inside the job, not to Kafka.
     */
    @JsonIgnore public long windowCompleteAtMillis;

    public Forecast() {}

    /**
     * Sets {@link #latencyMillis} to the time since the window was complete, as the forecast is
     * written at {@code nowMillis}; a forecast that does not know when its window was complete
     * keeps the latency it has.
     */
    public void stampWritten(long nowMillis) {
        if (windowCompleteAtMillis > 0) {
            latencyMillis = Math.max(0, nowMillis - windowCompleteAtMillis);
        }
    }

    /** The forecast of channel {@code channel} at step {@code step} (0 = one step ahead). */
    public float valueAt(int step, int channel) {
        return values[step * channels.length + channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Forecast f
                && v == f.v
                && issuedForMillis == f.issuedForMillis
                && stepMillis == f.stepMillis
                && horizon == f.horizon
                && modelVersion == f.modelVersion
                && Double.compare(imputedShare, f.imputedShare) == 0
                && latencyMillis == f.latencyMillis
                && Objects.equals(groupId, f.groupId)
                && Arrays.equals(channels, f.channels)
                && Arrays.equals(values, f.values)
                && Objects.equals(modelId, f.modelId);
    }

    @Override
    public int hashCode() {
        return 31
                        * Objects.hash(
                                v,
                                groupId,
                                issuedForMillis,
                                stepMillis,
                                horizon,
                                modelId,
                                modelVersion,
                                imputedShare,
                                latencyMillis)
                + 17 * Arrays.hashCode(channels)
                + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Forecast{"
                + groupId
                + " @"
                + issuedForMillis
                + " h="
                + horizon
                + " "
                + modelId
                + " v"
                + modelVersion
                + "}";
    }
}
