package io.blurstream.operators.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.blurstream.operators.catalog.SensorBinding;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.DeadLetter;
import io.blurstream.operators.record.DeadLetterReason;
import io.blurstream.operators.record.IngestRecord;
import io.blurstream.operators.record.SensorReading;
import java.io.IOException;
import java.text.ParsePosition;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record into exactly one {@link IngestRecord}: a {@link SensorReading} when the
 * value is a valid reading of a catalogued sensor, otherwise a {@link DeadLetter} saying why. It
 * never throws on data, so one bad record cannot fail the job (and replay it forever).
 *
 * <h2>Wire format (schema {@code schemas/reading.schema.json})</h2>
 *
 * <pre>
 * {"v": 1, "sensor": "etth1.OT", "ts": 1467331200000, "value": 30.53, "quality": "good"}
 * </pre>
 *
 * <ul>
 *   <li>{@code v}: optional, 1 if absent; any other value is {@code UNSUPPORTED_VERSION}.
 *   <li>{@code sensor}: a string known to the catalog, else {@code WRONG_TYPE} / {@code
 *       UNKNOWN_SENSOR}.
 *   <li>{@code ts}: epoch milliseconds as a JSON integer, or an ISO-8601 instant string with a zone
 *       or offset ({@code 2016-07-01T00:00:00Z}, {@code ...+02:00}; sub-millisecond digits are
 *       truncated). A fractional number or a string without offset is rejected ({@code WRONG_TYPE},
 *       {@code INVALID_TIMESTAMP}). It must lie in [{@code minTimestampMillis}, {@code
 *       maxTimestampMillis}], by default [1970-01-01, 2100-01-01) UTC; fixed bounds rather than
 *       bounds relative to the wall clock, so a replay of old data is judged as it was live.
 *   <li>{@code value}: a JSON number. {@code NaN} and {@code Infinity} literals (accepted by the
 *       parser for exactly this purpose), numbers that overflow a double and numbers beyond the
 *       float32 range the model computes in are {@code NON_FINITE_VALUE}. Strings are {@code
 *       WRONG_TYPE}, also {@code "NaN"} and {@code "1.5"}: a producer that quotes numbers has a bug
 *       worth seeing.
 *   <li>{@code quality}: optional {@code "good"} (default), {@code "uncertain"} or {@code "bad"}.
 *   <li>Other members are ignored, so producers can add fields before consumers know them.
 * </ul>
 *
 * A null or empty value is {@code EMPTY_PAYLOAD}; anything that is not exactly one JSON object
 * (syntax errors, duplicate keys, trailing content) is {@code MALFORMED_JSON}. The first problem
 * found is reported.
 *
 * <h2>Metrics</h2>
 *
 * {@code readingsParsed}, {@code deadLetters}, and {@code deadLetters} per {@code reason} subgroup,
 * registered in {@link #open}.
 */
public final class SensorReadingDeserializer
        implements KafkaRecordDeserializationSchema<IngestRecord> {
    private static final long serialVersionUID = 1L;

    /** Default lower bound of {@code ts}: 1970-01-01T00:00:00Z. */
    public static final long DEFAULT_MIN_TIMESTAMP_MILLIS = 0L;

    /** Default upper bound of {@code ts} (inclusive): just before 2100-01-01T00:00:00Z. */
    public static final long DEFAULT_MAX_TIMESTAMP_MILLIS = 4_102_444_800_000L - 1;

    /** The wire format version this build reads. */
    public static final int WIRE_VERSION = 1;

    public static final String METRIC_READINGS_PARSED = "readingsParsed";
    public static final String METRIC_DEAD_LETTERS = "deadLetters";
    public static final String METRIC_REASON_GROUP = "reason";

    // Thread-safe once configured. NaN/Infinity literals are accepted so that they are reported
    // as NON_FINITE_VALUE (what they mean) instead of MALFORMED_JSON.
    private static final JsonFactory JSON =
            JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .build();

    private final SourceCatalog catalog;
    private final long minTimestampMillis;
    private final long maxTimestampMillis;
    private final Clock clock;

    private transient Counter readingsParsed;
    private transient Counter deadLetters;
    private transient Counter[] deadLettersByReason;

    /** A deserializer with the default timestamp range and the system clock. */
    public SensorReadingDeserializer(SourceCatalog catalog) {
        this(
                catalog,
                DEFAULT_MIN_TIMESTAMP_MILLIS,
                DEFAULT_MAX_TIMESTAMP_MILLIS,
                Clock.systemUTC());
    }

    /**
     * @param catalog resolves sensor ids to group and channel
     * @param minTimestampMillis smallest accepted {@code ts}, inclusive
     * @param maxTimestampMillis largest accepted {@code ts}, inclusive
     * @param clock stamps the rejection time of dead letters
     */
    public SensorReadingDeserializer(
            SourceCatalog catalog, long minTimestampMillis, long maxTimestampMillis, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (minTimestampMillis > maxTimestampMillis) {
            throw new IllegalArgumentException(
                    "minTimestampMillis "
                            + minTimestampMillis
                            + " is after maxTimestampMillis "
                            + maxTimestampMillis);
        }
        this.minTimestampMillis = minTimestampMillis;
        this.maxTimestampMillis = maxTimestampMillis;
        // Usable before open() (direct use in tools and tests); open() swaps in real metrics.
        initCounters(null);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        initCounters(context.getMetricGroup());
    }

    private void initCounters(MetricGroup group) {
        DeadLetterReason[] reasons = DeadLetterReason.values();
        deadLettersByReason = new Counter[reasons.length];
        if (group == null) {
            readingsParsed = new SimpleCounter();
            deadLetters = new SimpleCounter();
            for (int i = 0; i < reasons.length; i++) {
                deadLettersByReason[i] = new SimpleCounter();
            }
            return;
        }
        readingsParsed = group.counter(METRIC_READINGS_PARSED);
        deadLetters = group.counter(METRIC_DEAD_LETTERS);
        for (int i = 0; i < reasons.length; i++) {
            deadLettersByReason[i] =
                    group.addGroup(METRIC_REASON_GROUP, reasons[i].name())
                            .counter(METRIC_DEAD_LETTERS);
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        out.collect(parse(record));
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return TypeInformation.of(IngestRecord.class);
    }

    /** Parses one record; never throws on its content. */
    public IngestRecord parse(ConsumerRecord<byte[], byte[]> record) {
        byte[] payload = record.value();
        if (payload == null || payload.length == 0) {
            return reject(
                    record,
                    DeadLetterReason.EMPTY_PAYLOAD,
                    payload == null ? "record value is null" : "record value is empty");
        }
        Attempt a = new Attempt();
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return reject(record, DeadLetterReason.MALFORMED_JSON, "not a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!readField(field, p, a)) {
                    return reject(record, a.reason, a.detail);
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                return reject(
                        record, DeadLetterReason.MALFORMED_JSON, "content after the JSON object");
            }
        } catch (IOException e) {
            // Jackson reports syntax errors, duplicate keys and over-long numbers only by
            // throwing; this is the one place a data problem arrives as an exception.
            return reject(
                    record,
                    DeadLetterReason.MALFORMED_JSON,
                    e instanceof JsonProcessingException j
                            ? j.getOriginalMessage()
                            : e.getMessage());
        }
        if (a.sensor == null) {
            return reject(record, DeadLetterReason.MISSING_FIELD, "sensor is missing");
        }
        if (!a.hasTimestamp) {
            return reject(record, DeadLetterReason.MISSING_FIELD, "ts is missing");
        }
        if (!a.hasValue) {
            return reject(record, DeadLetterReason.MISSING_FIELD, "value is missing");
        }
        SensorBinding binding = catalog.sensor(a.sensor);
        if (binding == null) {
            return reject(
                    record,
                    DeadLetterReason.UNKNOWN_SENSOR,
                    "sensor " + a.sensor + " is not in the source catalog");
        }
        if (a.timestampMillis < minTimestampMillis || a.timestampMillis > maxTimestampMillis) {
            return reject(
                    record,
                    DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "ts "
                            + a.timestampMillis
                            + " is outside ["
                            + minTimestampMillis
                            + ", "
                            + maxTimestampMillis
                            + "]");
        }
        readingsParsed.inc();
        return IngestRecord.of(
                new SensorReading(
                        binding.groupId(),
                        binding.channel(),
                        a.sensor,
                        a.timestampMillis,
                        a.value,
                        a.quality));
    }

    /** Reads one member into {@code a}; false (with reason and detail set) on a problem. */
    private boolean readField(String field, JsonParser p, Attempt a) throws IOException {
        JsonToken t = p.currentToken();
        switch (field) {
            case "v":
                if (t != JsonToken.VALUE_NUMBER_INT
                        || p.getNumberType() != JsonParser.NumberType.INT
                        || p.getIntValue() != WIRE_VERSION) {
                    return a.fail(
                            DeadLetterReason.UNSUPPORTED_VERSION,
                            "v is " + p.getText() + ", this build reads v " + WIRE_VERSION);
                }
                return true;
            case "sensor":
                if (t == JsonToken.VALUE_STRING) {
                    a.sensor = p.getText();
                    return true;
                }
                return t == JsonToken.VALUE_NULL
                        || a.fail(DeadLetterReason.WRONG_TYPE, "sensor must be a string, got " + t);
            case "ts":
                return readTimestamp(p, t, a);
            case "value":
                return readValue(p, t, a);
            case "quality":
                return readQuality(p, t, a);
            default:
                // Unknown members are skipped whole (objects and arrays included).
                p.skipChildren();
                return true;
        }
    }

    private boolean readTimestamp(JsonParser p, JsonToken t, Attempt a) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.BIG_INTEGER) {
                return a.fail(
                        DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                        "ts " + p.getText() + " does not fit a 64-bit epoch millisecond");
            }
            a.timestampMillis = p.getLongValue();
            a.hasTimestamp = true;
            return true;
        }
        if (t == JsonToken.VALUE_STRING) {
            String text = p.getText();
            ParsePosition position = new ParsePosition(0);
            // parseUnresolved reports failure through the position instead of an exception.
            TemporalAccessor parsed = DateTimeFormatter.ISO_INSTANT.parseUnresolved(text, position);
            if (parsed == null
                    || position.getErrorIndex() >= 0
                    || position.getIndex() != text.length()) {
                return a.fail(
                        DeadLetterReason.INVALID_TIMESTAMP,
                        "ts \""
                                + text
                                + "\" is not an ISO-8601 instant with zone or offset, such as"
                                + " 2016-07-01T00:00:00Z");
            }
            long seconds = parsed.getLong(ChronoField.INSTANT_SECONDS);
            if (seconds > Long.MAX_VALUE / 1000 - 1 || seconds < Long.MIN_VALUE / 1000 + 1) {
                return a.fail(
                        DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                        "ts " + text + " does not fit a 64-bit epoch millisecond");
            }
            long nanos = parsed.getLong(ChronoField.NANO_OF_SECOND);
            a.timestampMillis = seconds * 1000 + nanos / 1_000_000;
            a.hasTimestamp = true;
            return true;
        }
        return a.fail(
                DeadLetterReason.WRONG_TYPE,
                "ts must be an integer (epoch ms) or an ISO-8601 string, got " + t);
    }

    private boolean readValue(JsonParser p, JsonToken t, Attempt a) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return a.fail(DeadLetterReason.WRONG_TYPE, "value must be a JSON number, got " + t);
        }
        double value = p.getDoubleValue();
        // The model computes in float32: a double beyond its range would become infinite there.
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            return a.fail(
                    DeadLetterReason.NON_FINITE_VALUE,
                    "value " + p.getText() + " is not a finite float32");
        }
        a.value = value;
        a.hasValue = true;
        return true;
    }

    private boolean readQuality(JsonParser p, JsonToken t, Attempt a) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "good":
                    a.quality = SensorReading.QUALITY_GOOD;
                    return true;
                case "uncertain":
                    a.quality = SensorReading.QUALITY_UNCERTAIN;
                    return true;
                case "bad":
                    a.quality = SensorReading.QUALITY_BAD;
                    return true;
                default:
                    break;
            }
        }
        return a.fail(
                DeadLetterReason.INVALID_QUALITY,
                "quality must be \"good\", \"uncertain\" or \"bad\", got " + p.getText());
    }

    private IngestRecord reject(
            ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        deadLetters.inc();
        deadLettersByReason[reason.ordinal()].inc();
        byte[] payload = record.value();
        return IngestRecord.of(
                new DeadLetter(
                        payload == null ? null : Base64.getEncoder().encodeToString(payload),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        reason,
                        detail,
                        clock.millis()));
    }

    /** The fields read so far from one record, and the first problem. */
    private static final class Attempt {
        String sensor;
        boolean hasTimestamp;
        long timestampMillis;
        boolean hasValue;
        double value;
        byte quality = SensorReading.QUALITY_GOOD;
        DeadLetterReason reason;
        String detail;

        boolean fail(DeadLetterReason reason, String detail) {
            this.reason = reason;
            this.detail = detail;
            return false;
        }
    }
}
