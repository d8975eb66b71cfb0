package io.blurstream.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.DeadLetter;
import io.blurstream.operators.record.DeadLetterReason;
import io.blurstream.operators.record.IngestRecord;
import io.blurstream.operators.record.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensorReadingDeserializerTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long TS = 1_467_331_200_000L; // 2016-07-01T00:00:00Z

    private SensorReadingDeserializer deserializer;
    private InterceptingOperatorMetricGroup metrics;

    @BeforeEach
    void setUp() throws Exception {
        SourceCatalog catalog = SourceCatalog.fromResource("catalogs/test-catalog.yaml");
        deserializer =
                new SensorReadingDeserializer(
                        catalog,
                        SensorReadingDeserializer.DEFAULT_MIN_TIMESTAMP_MILLIS,
                        SensorReadingDeserializer.DEFAULT_MAX_TIMESTAMP_MILLIS,
                        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        metrics = new InterceptingOperatorMetricGroup();
        deserializer.open(new TestContext(metrics));
    }

    @Test
    void validReadingWithEpochMillis() {
        SensorReading r = reading("{\"sensor\":\"a.level\",\"ts\":" + TS + ",\"value\":2.5}");
        assertThat(r).isEqualTo(new SensorReading("plant-a", 2, "a.level", TS, 2.5, (byte) 0));
    }

    @Test
    void validReadingWithIsoTimestampsAndQuality() {
        assertThat(
                        reading(
                                        "{\"v\":1,\"sensor\":\"a.temp\",\"ts\":\"2016-07-01T00:00:00Z\","
                                            + "\"value\":-1,\"quality\":\"uncertain\"}")
                                .timestampMillis)
                .isEqualTo(TS);
        SensorReading offset =
                reading(
                        "{\"sensor\":\"a.temp\",\"ts\":\"2016-07-01T02:00:00.123456+02:00\","
                                + "\"value\":1e3,\"quality\":\"bad\"}");
        assertThat(offset.timestampMillis).isEqualTo(TS + 123);
        assertThat(offset.value).isEqualTo(1000.0);
        assertThat(offset.quality).isEqualTo(SensorReading.QUALITY_BAD);
        assertThat(
                        reading(
                                        "{\"sensor\":\"b.power\",\"ts\":0,\"value\":7,\"extra\":{\"x\":[1]}}")
                                .groupId)
                .isEqualTo("plant-b");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1                            |"
                        + " MALFORMED_JSON",
                "[1,2]                                                                   |"
                        + " MALFORMED_JSON",
                "\"just a string\"                                                       |"
                        + " MALFORMED_JSON",
                "{\"sensor\":\"a.temp\",\"sensor\":\"a.temp\",\"ts\":1,\"value\":1}      |"
                        + " MALFORMED_JSON",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1} {}                         |"
                        + " MALFORMED_JSON",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1}x                           |"
                        + " MALFORMED_JSON",
                "{\"v\":2,\"sensor\":\"a.temp\",\"ts\":1,\"value\":1}                    |"
                        + " UNSUPPORTED_VERSION",
                "{\"v\":\"1\",\"sensor\":\"a.temp\",\"ts\":1,\"value\":1}                |"
                        + " UNSUPPORTED_VERSION",
                "{\"ts\":1,\"value\":1}                                                  |"
                        + " MISSING_FIELD",
                "{\"sensor\":\"a.temp\",\"value\":1}                                     |"
                        + " MISSING_FIELD",
                "{\"sensor\":\"a.temp\",\"ts\":1}                                        |"
                        + " MISSING_FIELD",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":null}                         |"
                        + " MISSING_FIELD",
                "{\"sensor\":7,\"ts\":1,\"value\":1}                                     |"
                        + " WRONG_TYPE",
                "{\"sensor\":\"a.temp\",\"ts\":1.5,\"value\":1}                          |"
                        + " WRONG_TYPE",
                "{\"sensor\":\"a.temp\",\"ts\":true,\"value\":1}                         |"
                        + " WRONG_TYPE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":\"1.5\"}                      |"
                        + " WRONG_TYPE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":\"NaN\"}                      |"
                        + " WRONG_TYPE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":[1]}                          |"
                        + " WRONG_TYPE",
                "{\"sensor\":\"a.temp\",\"ts\":\"2016-07-01T00:00:00\",\"value\":1}      |"
                        + " INVALID_TIMESTAMP",
                "{\"sensor\":\"a.temp\",\"ts\":\"2016-02-30T00:00:00Z\",\"value\":1}     |"
                        + " INVALID_TIMESTAMP",
                "{\"sensor\":\"a.temp\",\"ts\":\"yesterday\",\"value\":1}                |"
                        + " INVALID_TIMESTAMP",
                "{\"sensor\":\"a.temp\",\"ts\":-1,\"value\":1}                           |"
                        + " TIMESTAMP_OUT_OF_RANGE",
                "{\"sensor\":\"a.temp\",\"ts\":4102444800000,\"value\":1}                |"
                        + " TIMESTAMP_OUT_OF_RANGE",
                "{\"sensor\":\"a.temp\",\"ts\":\"2100-01-01T00:00:00Z\",\"value\":1}     |"
                        + " TIMESTAMP_OUT_OF_RANGE",
                "{\"sensor\":\"a.temp\",\"ts\":\"+999999999-12-31T23:59:59Z\",\"value\":1} |"
                        + " TIMESTAMP_OUT_OF_RANGE",
                "{\"sensor\":\"a.temp\",\"ts\":123456789012345678901234567890,\"value\":1} |"
                        + " TIMESTAMP_OUT_OF_RANGE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":NaN}                          |"
                        + " NON_FINITE_VALUE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":Infinity}                     |"
                        + " NON_FINITE_VALUE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":-Infinity}                    |"
                        + " NON_FINITE_VALUE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1e400}                        |"
                        + " NON_FINITE_VALUE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1e39}                         |"
                        + " NON_FINITE_VALUE",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1,\"quality\":\"great\"}      |"
                        + " INVALID_QUALITY",
                "{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1,\"quality\":0}              |"
                        + " INVALID_QUALITY",
                "{\"sensor\":\"nobody\",\"ts\":1,\"value\":1}                            |"
                        + " UNKNOWN_SENSOR",
            })
    void everyProblemHasItsReason(String payload, DeadLetterReason reason) {
        DeadLetter letter = deadLetter(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(letter.reason).as(letter.detail).isEqualTo(reason);
        assertThat(letter.detail).isNotBlank();
        assertThat(Base64.getDecoder().decode(letter.payloadBase64))
                .isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(letter.topic).isEqualTo("readings");
        assertThat(letter.partition).isEqualTo(2);
        assertThat(letter.offset).isEqualTo(17L);
        assertThat(letter.rejectedAtMillis).isEqualTo(NOW);
    }

    @Test
    void hugeButFiniteNumbersWithinFloatRangeAreAccepted() {
        assertThat(reading("{\"sensor\":\"a.temp\",\"ts\":1,\"value\":3.4e38}").value)
                .isEqualTo(3.4e38);
        assertThat(
                        reading(
                                        "{\"sensor\":\"a.temp\",\"ts\":1,"
                                                + "\"value\":123456789012345678901234567890}")
                                .value)
                .isEqualTo(1.2345678901234568e29);
    }

    @Test
    void emptyAndNullPayloadsAreDeadLetters() {
        DeadLetter empty = deadLetter(new byte[0]);
        assertThat(empty.reason).isEqualTo(DeadLetterReason.EMPTY_PAYLOAD);
        assertThat(empty.payloadBase64).isEmpty();
        DeadLetter tombstone = deadLetter(null);
        assertThat(tombstone.reason).isEqualTo(DeadLetterReason.EMPTY_PAYLOAD);
        assertThat(tombstone.payloadBase64).isNull();
        assertThat(deadLetter("   ".getBytes()).reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(deadLetter(new byte[] {(byte) 0xff, (byte) 0xfe}).reason)
                .isEqualTo(DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void customTimestampRangeIsEnforcedAndChecked() throws Exception {
        SensorReadingDeserializer narrow =
                new SensorReadingDeserializer(
                        SourceCatalog.fromResource("catalogs/test-catalog.yaml"),
                        TS,
                        TS + 1000,
                        Clock.systemUTC());
        List<IngestRecord> out = new ArrayList<>();
        narrow.deserialize(
                record(
                        ("{\"sensor\":\"a.temp\",\"ts\":" + (TS + 1001) + ",\"value\":1}")
                                .getBytes()),
                collector(out));
        narrow.deserialize(
                record(
                        ("{\"sensor\":\"a.temp\",\"ts\":" + (TS + 1000) + ",\"value\":1}")
                                .getBytes()),
                collector(out));
        assertThat(out.get(0).deadLetter.reason).isEqualTo(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(out.get(1).reading).isNotNull();
        assertThatThrownBy(
                        () ->
                                new SensorReadingDeserializer(
                                        SourceCatalog.fromResource("catalogs/test-catalog.yaml"),
                                        2,
                                        1,
                                        Clock.systemUTC()))
                .hasMessageContaining("minTimestampMillis 2 is after maxTimestampMillis 1");
    }

    @Test
    void countersCountReadingsAndDeadLetters() {
        reading("{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1}");
        reading("{\"sensor\":\"a.temp\",\"ts\":2,\"value\":1}");
        deadLetter("{".getBytes());
        assertThat(
                        ((Counter) metrics.get(SensorReadingDeserializer.METRIC_READINGS_PARSED))
                                .getCount())
                .isEqualTo(2);
        assertThat(
                        ((Counter) metrics.get(SensorReadingDeserializer.METRIC_DEAD_LETTERS))
                                .getCount())
                .isEqualTo(1);
    }

    @Test
    @SuppressWarnings("try") // the harness's close() may throw InterruptedException
    void splitFunctionSendsDeadLettersToTheSideOutput() throws Exception {
        IngestRecord good = deserialize("{\"sensor\":\"a.temp\",\"ts\":1,\"value\":1}".getBytes());
        IngestRecord bad = deserialize("nope".getBytes());
        try (OneInputStreamOperatorTestHarness<IngestRecord, SensorReading> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DeadLetterSplitFunction())) {
            harness.processElement(good, 1);
            harness.processElement(bad, 2);
            assertThat(harness.extractOutputValues()).containsExactly(good.reading);
            assertThat(harness.getSideOutput(DeadLetterSplitFunction.DEAD_LETTERS))
                    .extracting(r -> r.getValue())
                    .containsExactly(bad.deadLetter);
        }
    }

    private SensorReading reading(String json) {
        IngestRecord r = deserialize(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.deadLetter).as("dead letter for %s", json).isNull();
        return r.reading;
    }

    private DeadLetter deadLetter(byte[] payload) {
        IngestRecord r = deserialize(payload);
        assertThat(r.reading).as("reading").isNull();
        return r.deadLetter;
    }

    private IngestRecord deserialize(byte[] payload) {
        List<IngestRecord> out = new ArrayList<>();
        deserializer.deserialize(record(payload), collector(out));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] payload) {
        return new ConsumerRecord<>("readings", 2, 17L, null, payload);
    }

    private static Collector<IngestRecord> collector(List<IngestRecord> out) {
        return new Collector<>() {
            @Override
            public void collect(IngestRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    /** The context the Kafka source hands to {@code open}, with metrics the test can read. */
    private record TestContext(MetricGroup metricGroup)
            implements DeserializationSchema.InitializationContext {
        @Override
        public MetricGroup getMetricGroup() {
            return metricGroup;
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
