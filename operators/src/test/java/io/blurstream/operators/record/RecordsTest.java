package io.blurstream.operators.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.operators.align.AlignmentProgress;
import io.blurstream.operators.align.BufferedReadings;
import io.blurstream.operators.testing.SchemaCheck;
import io.blurstream.operators.window.WindowRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordsTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                SensorReading.class,
                DeadLetter.class,
                FusedRow.class,
                FusedWindow.class,
                Forecast.class,
                IngestRecord.class,
                BufferedReadings.class,
                AlignmentProgress.class,
                WindowRing.class,
                io.blurstream.operators.inference.ModelUpdate.class,
                io.blurstream.operators.inference.ServingModel.class
            })
    void recordsAndStateAreFlinkPojosWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        // With generic types disabled, any field that would fall back to Kryo fails here.
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertThat(info.createSerializer(config)).isNotNull();
    }

    @Test
    void theGenericTypeGuardCanFail() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<?> info = TypeInformation.of(WithGenericField.class);
        assertThatThrownBy(() -> info.createSerializer(config))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /** A POJO whose Object field Flink can only serialise with Kryo. */
    public static class WithGenericField {
        public Object anything;
    }

    @Test
    void wireReadingExamplesConformToTheReadingSchema() throws IOException {
        SchemaCheck schema = SchemaCheck.load("reading.schema.json");
        assertThat(
                        schema.violations(
                                "{\"sensor\":\"etth1.OT\",\"ts\":1467331200000,\"value\":30.5}"))
                .isEmpty();
        assertThat(
                        schema.violations(
                                "{\"v\":1,\"sensor\":\"etth1.OT\",\"ts\":\"2016-07-01T00:00:00Z\","
                                        + "\"value\":-3,\"quality\":\"uncertain\",\"site\":\"x\"}"))
                .isEmpty();
        assertThat(schema.violations("{\"sensor\":\"etth1.OT\",\"value\":1}"))
                .containsExactly("$: missing required ts");
        assertThat(schema.violations("{\"sensor\":\"s\",\"ts\":1.5,\"value\":\"1\"}")).hasSize(2);
        assertThat(schema.violations("{\"sensor\":\"s\",\"ts\":1,\"value\":1,\"quality\":\"ok\"}"))
                .hasSize(1);
    }

    @Test
    void deadLetterJsonRoundTripsAndConforms() throws IOException {
        DeadLetter letter =
                new DeadLetter(
                        "e30=",
                        "readings",
                        3,
                        42L,
                        DeadLetterReason.MISSING_FIELD,
                        "sensor is missing",
                        1_700_000_000_000L);
        String json = RecordJson.toJson(letter);
        assertThat(SchemaCheck.load("dead-letter.schema.json").violations(json)).isEmpty();
        assertThat(new ObjectMapper().readTree(json).get("v").asInt()).isEqualTo(1);
        assertThat(RecordJson.fromBytes(RecordJson.toBytes(letter), DeadLetter.class))
                .isEqualTo(letter);

        DeadLetter tombstone =
                new DeadLetter(null, "readings", 0, 0, DeadLetterReason.EMPTY_PAYLOAD, "null", 1L);
        assertThat(
                        SchemaCheck.load("dead-letter.schema.json")
                                .violations(RecordJson.toJson(tombstone)))
                .isEmpty();
    }

    @Test
    void deadLetterReasonsInTheSchemaMatchTheEnum() throws IOException {
        assertThat(enumTexts())
                .containsExactlyInAnyOrderElementsOf(
                        java.util.Arrays.stream(DeadLetterReason.values())
                                .map(Enum::name)
                                .toList());
    }

    private static List<String> enumTexts() throws IOException {
        List<String> names = new java.util.ArrayList<>();
        SchemaCheck.load("dead-letter.schema.json")
                .schema()
                .at("/properties/reason/enum")
                .forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    void modelEventsRoundTripAndConformAlsoWhenTheMessageWasUnreadable() throws IOException {
        ModelEvent accepted = new ModelEvent();
        accepted.atMillis = 5;
        accepted.origin = "models/0@3";
        accepted.kind = "rollback";
        accepted.modelId = "ETTh1-blur-96";
        accepted.version = 1;
        accepted.outcome = ModelEvent.Outcome.ACCEPTED;
        accepted.reason = "serving v1, previous none";
        accepted.servingVersion = 1;
        ModelEvent unreadable = new ModelEvent();
        unreadable.atMillis = 6;
        unreadable.origin = "models/0@4";
        unreadable.outcome = ModelEvent.Outcome.REJECTED;
        unreadable.reason = "unreadable: not JSON";
        SchemaCheck schema = SchemaCheck.load("model-event.schema.json");
        for (ModelEvent event : List.of(accepted, unreadable)) {
            String json = RecordJson.toJson(event);
            assertThat(schema.violations(json)).as(json).isEmpty();
            assertThat(
                            RecordJson.fromBytes(
                                    json.getBytes(StandardCharsets.UTF_8), ModelEvent.class))
                    .isEqualTo(event);
        }
        assertThat(schema.violations(RecordJson.toJson(accepted).replace("ACCEPTED", "DONE")))
                .isNotEmpty();
    }

    @Test
    void forecastEvaluationsRoundTripAndConform() throws IOException {
        ForecastEvaluation e = new ForecastEvaluation();
        e.groupId = "transformer-1";
        e.issuedForMillis = 3_600_000;
        e.stepMillis = 3_600_000;
        e.horizon = 2;
        e.modelId = "ETTh1-blur-96";
        e.modelVersion = 2;
        e.observed = 3;
        e.forecastValues = 4;
        e.mae = 0.5;
        e.mse = 0.25;
        e.maeByStep = new float[] {0.5f, 0};
        e.mseByStep = new float[] {0.25f, 0};
        e.observedByStep = new int[] {3, 0};
        String json = RecordJson.toJson(e);
        assertThat(SchemaCheck.load("forecast-evaluation.schema.json").violations(json)).isEmpty();
        assertThat(
                        RecordJson.fromBytes(
                                json.getBytes(StandardCharsets.UTF_8), ForecastEvaluation.class))
                .isEqualTo(e);
        assertThat(
                        SchemaCheck.load("forecast-evaluation.schema.json")
                                .violations(json.replace("\"mae\":0.5", "\"mae\":-1")))
                .isNotEmpty();
    }

    @Test
    void forecastJsonRoundTripsAndConforms() throws IOException {
        Forecast f = new Forecast();
        f.groupId = "transformer-1";
        f.issuedForMillis = 1_467_331_200_000L;
        f.stepMillis = 3_600_000L;
        f.horizon = 2;
        f.channels = new String[] {"HUFL", "OT"};
        f.values = new float[] {5.5f, 30.25f, 5.75f, 30.5f};
        f.modelId = "ETTh1-blur-96";
        f.modelVersion = 3;
        f.imputedShare = 0.125;
        f.latencyMillis = 4;
        String json = RecordJson.toJson(f);
        assertThat(SchemaCheck.load("forecast.schema.json").violations(json)).isEmpty();
        Forecast back = RecordJson.fromBytes(json.getBytes(), Forecast.class);
        assertThat(back).isEqualTo(f);
        assertThat(back.valueAt(1, 1)).isEqualTo(30.5f);

        f.channels = null;
        assertThat(SchemaCheck.load("forecast.schema.json").violations(RecordJson.toJson(f)))
                .containsExactly("$.channels: expected type \"array\", got null");
    }

    @Test
    void aForecastsLatencyIsStampedWhenItIsWrittenAndItsWindowTimeStaysInTheJob() {
        Forecast f = new Forecast();
        f.latencyMillis = 3;
        f.stampWritten(1_000_050L);
        assertThat(f.latencyMillis).as("no window time: the latency so far stays").isEqualTo(3);

        f.windowCompleteAtMillis = 1_000_000L;
        f.stampWritten(1_000_050L);
        assertThat(f.latencyMillis).isEqualTo(50);
        f.stampWritten(999_000L);
        assertThat(f.latencyMillis).as("a clock step back is no negative latency").isZero();

        assertThat(RecordJson.toJson(f))
                .doesNotContain("windowComplete")
                .contains("\"latencyMillis\":0");
    }

    @Test
    void aReusedWriterWritesEachRecordAsToBytesDoesAfterLargerAndSmallerOnes() throws IOException {
        RecordJson.Writer writer = new RecordJson.Writer();
        // small, then past the writer's first buffer (720 steps × 7 values), then small again:
        // what is left of a longer record must not leak into the next one
        for (int horizon : new int[] {2, 720, 1, 96}) {
            Forecast f = new Forecast();
            f.groupId = "g" + horizon;
            f.horizon = horizon;
            f.channels = new String[] {"a", "b", "c", "d", "e", "f", "g"};
            f.values = new float[horizon * 7];
            for (int i = 0; i < f.values.length; i++) {
                f.values[i] = (float) Math.sin(i * 0.37 + horizon) * 1000;
            }
            f.modelId = "m";
            byte[] json = writer.toBytes(f);
            assertThat(json).isEqualTo(RecordJson.toBytes(f));
            assertThat(RecordJson.fromBytes(json, Forecast.class)).isEqualTo(f);
        }
    }

    @Test
    void floatArraysAreWrittenAsShortestDecimalsBetweenTheOtherMembers() throws IOException {
        Forecast f = new Forecast();
        f.groupId = "g";
        f.channels = new String[] {"a"};
        f.values = new float[] {1.5f, -0.1f, 3.4028235E38f, 1e-7f, 0f};
        f.modelId = "m";
        String json = RecordJson.toJson(f);
        assertThat(json)
                .contains("\"channels\":[\"a\"],\"values\":[1.5,-0.1,3.4028235E38,1.0E-7,0.0],");
        assertThat(RecordJson.fromBytes(json.getBytes(), Forecast.class)).isEqualTo(f);

        f.values = new float[0];
        assertThat(RecordJson.toJson(f)).contains(",\"values\":[],");
    }

    @Test
    void readerRejectsUnknownMembersOfOurOwnRecords() {
        assertThatThrownBy(
                        () ->
                                RecordJson.fromBytes(
                                        "{\"v\":1,\"surprise\":true}".getBytes(), Forecast.class))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("surprise");
    }

    @Test
    void internalRecordsConformToTheirSchemas() throws IOException {
        FusedRow row =
                new FusedRow(
                        "g",
                        60_000L,
                        new float[] {1f, Float.NaN},
                        new byte[] {FusedRow.OBSERVED, FusedRow.MISSING});
        String rowJson = RecordJson.toJson(row);
        assertThat(SchemaCheck.load("fused-row.schema.json").violations(rowJson)).isEmpty();
        FusedRow rowBack = RecordJson.fromBytes(rowJson.getBytes(), FusedRow.class);
        assertThat(rowBack).isEqualTo(row);

        FusedWindow window = new FusedWindow("g", 120_000L, 60_000L, 2, 1, new float[] {1, 2}, 0.5);
        assertThat(
                        SchemaCheck.load("fused-window.schema.json")
                                .violations(RecordJson.toJson(window)))
                .isEmpty();
        assertThat(RecordJson.fromBytes(RecordJson.toBytes(window), FusedWindow.class))
                .isEqualTo(window);

        SensorReading reading =
                new SensorReading("g", 1, "a.flow.1", 5L, 2.5, SensorReading.QUALITY_UNCERTAIN);
        assertThat(
                        SchemaCheck.load("sensor-reading.schema.json")
                                .violations(RecordJson.toJson(reading)))
                .isEmpty();
    }
}
