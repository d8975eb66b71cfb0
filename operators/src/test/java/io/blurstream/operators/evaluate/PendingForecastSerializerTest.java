package io.blurstream.operators.evaluate;

import static io.blurstream.operators.evaluate.OnlineEvaluationFunctionTest.MINUTE;
import static io.blurstream.operators.evaluate.OnlineEvaluationFunctionTest.forecast;
import static io.blurstream.operators.evaluate.OnlineEvaluationFunctionTest.harness;
import static io.blurstream.operators.evaluate.OnlineEvaluationFunctionTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.ForecastEvaluation;
import io.blurstream.operators.record.FusedRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PendingForecastSerializerTest {

    @BeforeAll
    static void loadCatalog() throws Exception {
        OnlineEvaluationFunctionTest.load();
    }

    @Test
    void aForecastReadsBackFieldForFieldValuesBitForBit() throws Exception {
        Forecast f = forecast(10, 3, 1.5f, -0f, Float.MIN_VALUE, Float.NaN, 1e30f, -7.25f);
        f.imputedShare = 0.25;
        f.latencyMillis = 17;
        f.windowCompleteAtMillis = 123_456_789L;

        Forecast back = roundTrip(f);

        assertThat(back).isNotSameAs(f).isEqualTo(f);
        assertThat(back.windowCompleteAtMillis).isEqualTo(f.windowCompleteAtMillis);
        for (int i = 0; i < f.values.length; i++) {
            assertThat(Float.floatToRawIntBits(back.values[i]))
                    .as("value %d", i)
                    .isEqualTo(Float.floatToRawIntBits(f.values[i]));
        }
    }

    @Test
    void missingFieldsStayMissing() throws Exception {
        Forecast f = new Forecast();
        f.channels = new String[] {"temp", null};

        Forecast back = roundTrip(f);

        assertThat(back).isEqualTo(f);
        assertThat(back.groupId).isNull();
        assertThat(back.values).isNull();
        assertThat(back.channels).containsExactly("temp", null);
    }

    @Test
    void forecastsAreImmutableSoACopyIsTheForecastItself() {
        var serializer = new PendingForecastSerializer();
        Forecast f = forecast(10, 1, 1, 2, 3, 4, 5, 6);

        assertThat(serializer.isImmutableType()).isTrue();
        assertThat(serializer.copy(f)).isSameAs(f);
        assertThat(serializer.copy(f, new Forecast())).isSameAs(f);
    }

    @Test
    void pendingForecastsWrittenByThePojoSerializerAreScoredAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = pojoStateWriter()) {
            h.open();
            h.processElement2(forecast(10, 1, 1, 1, 1, 1, 1, 1), 10 * MINUTE);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(row(11, 3, 3, 3), 11 * MINUTE);
            h.processElement1(row(12, 1, 1, 1), 12 * MINUTE);
            h.processBothWatermarks(new Watermark(13 * MINUTE));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.issuedForMillis).isEqualTo(10 * MINUTE);
                                assertThat(e.mae).isEqualTo(1.0);
                            });
        }
    }

    private static Forecast roundTrip(Forecast f) throws Exception {
        var serializer = new PendingForecastSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(f, out);
        // a duplicate reads it, as another thread's copy of the serializer would
        return serializer.duplicate().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    /** What online evaluation's state looked like before this serializer: POJO-serialized. */
    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, FusedRow, Forecast, ForecastEvaluation>
            pojoStateWriter() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new PojoPendingForecasts()),
                        (FusedRow r) -> r.groupId,
                        (Forecast f) -> f.groupId,
                        Types.STRING);
        h.setup();
        return h;
    }

    private static final class PojoPendingForecasts
            extends KeyedCoProcessFunction<String, FusedRow, Forecast, ForecastEvaluation> {
        private transient MapState<String, Forecast> pending;

        @Override
        public void open(OpenContext openContext) {
            pending =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "evaluation-pending",
                                            BasicTypeInfo.STRING_TYPE_INFO,
                                            TypeInformation.of(Forecast.class)));
        }

        @Override
        public void processElement1(FusedRow row, Context ctx, Collector<ForecastEvaluation> out) {}

        @Override
        public void processElement2(
                Forecast forecast, Context ctx, Collector<ForecastEvaluation> out)
                throws Exception {
            pending.put(
                    forecast.issuedForMillis + "/" + forecast.modelId + "/" + forecast.modelVersion,
                    forecast);
        }
    }
}
