package io.blurstream.operators.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The JSON form of the records ({@link DeadLetter}, {@link Forecast}, and for debugging {@link
 * FusedRow}, {@link FusedWindow}, {@link SensorReading}): public fields map one to one onto JSON
 * members of the same name. Reading is strict about unknown members, so a producer writing a newer
 * format fails loudly rather than losing data silently.
 */
public final class RecordJson {

    // A configured ObjectMapper is thread-safe; one per JVM is enough. The fast number codecs
    // (Schubfach for writing, FastDoubleParser for reading) round-trip exactly like the default
    // ones and cost less per number; a forecast carries 672 of them (RecordJsonBenchmark).
    // Float arrays (forecast values, windows, rows) are written by FloatArrayJson, which
    // allocates nothing per number.
    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .addModule(
                            new SimpleModule("blurstream-floats")
                                    .addSerializer(float[].class, new FloatArrayJson()))
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .build();

    private RecordJson() {}

    /** Serialises a record to compact UTF-8 JSON. */
    public static byte[] toBytes(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            // Our records are plain public fields; failing here is a programming error.
            throw new IllegalStateException(
                    "cannot serialise " + record.getClass().getSimpleName(), e);
        }
    }

    /** Serialises a record to a compact JSON string. */
    public static String toJson(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + record.getClass().getSimpleName(), e);
        }
    }

    /** Reads a record of type {@code type} from UTF-8 JSON. */
    public static <T> T fromBytes(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }
}
