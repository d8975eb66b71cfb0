package io.blurstream.operators.ingest;

import io.blurstream.operators.record.DeadLetter;
import io.blurstream.operators.record.IngestRecord;
import io.blurstream.operators.record.SensorReading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits the ingest stream: readings go to the main output, dead letters to {@link #DEAD_LETTERS}.
 */
public final class DeadLetterSplitFunction extends ProcessFunction<IngestRecord, SensorReading> {
    private static final long serialVersionUID = 1L;

    /** Side output of the records the deserializer rejected. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    public static final String METRIC_READINGS = "readings";
    public static final String METRIC_DEAD_LETTERS = "deadLetters";

    private transient Counter readings;
    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        readings = getRuntimeContext().getMetricGroup().counter(METRIC_READINGS);
        deadLetters = getRuntimeContext().getMetricGroup().counter(METRIC_DEAD_LETTERS);
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<SensorReading> out) {
        if (record.reading != null) {
            readings.inc();
            out.collect(record.reading);
        } else if (record.deadLetter != null) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
