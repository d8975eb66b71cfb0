package io.blurstream.operators.record;

import java.util.Objects;

/**
 * What the ingest deserializer emits for one Kafka record: exactly one of {@link #reading} and
 * {@link #deadLetter} is set. One stream type for both outcomes keeps the Kafka source a single
 * operator; {@code DeadLetterSplitFunction} separates them right after it.
 */
public class IngestRecord {

    /** The parsed reading, or null when the record was rejected. */
    public SensorReading reading;

    /** Why the record was rejected, or null when it parsed. */
    public DeadLetter deadLetter;

    public IngestRecord() {}

    public static IngestRecord of(SensorReading reading) {
        IngestRecord r = new IngestRecord();
        r.reading = Objects.requireNonNull(reading, "reading");
        return r;
    }

    public static IngestRecord of(DeadLetter deadLetter) {
        IngestRecord r = new IngestRecord();
        r.deadLetter = Objects.requireNonNull(deadLetter, "deadLetter");
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IngestRecord r
                && Objects.equals(reading, r.reading)
                && Objects.equals(deadLetter, r.deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reading, deadLetter);
    }

    @Override
    public String toString() {
        return reading != null ? reading.toString() : String.valueOf(deadLetter);
    }
}
