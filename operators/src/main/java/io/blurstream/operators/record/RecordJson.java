package io.blurstream.operators.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

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

    /**
     * Serialises records into one buffer it keeps, so each record costs one array of its exact
     * size. {@link #toBytes(Object)} lets Jackson grow a chain of segments per record and then
     * copies them into that array: for a forecast (about 6 KB) the segments are as much garbage
     * again, at every forecast a sink writes. Not thread-safe: one per writing thread.
     */
    public static final class Writer {
        private final Buffer buffer = new Buffer();

        /** Serialises a record to compact UTF-8 JSON. */
        public byte[] toBytes(Object record) {
            buffer.reset();
            try {
                MAPPER.writeValue(buffer, record);
            } catch (IOException e) {
                // Our records are plain public fields and the buffer cannot fail to take bytes.
                throw new IllegalStateException(
                        "cannot serialise " + record.getClass().getSimpleName(), e);
            }
            return buffer.toByteArray();
        }
    }

    /** A growable byte sink without {@link java.io.ByteArrayOutputStream}'s locking. */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[8192];
        private int size;

        void reset() {
            size = 0;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
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
