package io.blurstream.operators.record;

import java.util.Objects;

/**
 * One parsed reading, resolved against the source catalog: which group and channel it feeds, when
 * it was measured and what it measured. Produced by the ingest deserializer, consumed by event-time
 * alignment.
 *
 * <p>A Flink POJO (public no-arg constructor, public fields), so Flink serialises it with its POJO
 * serializer, never Kryo. Version policy: this type travels only between operators and in state, so
 * it evolves by Flink's POJO schema evolution (fields may be added or removed, never retyped).
 */
public class SensorReading {

    /** The sensor reported normally (the default when the wire record has no quality). */
    public static final byte QUALITY_GOOD = 0;

    /** The sensor flagged the value as doubtful; alignment still uses it. */
    public static final byte QUALITY_UNCERTAIN = 1;

    /** The sensor flagged the value as wrong; alignment drops it (and counts it). */
    public static final byte QUALITY_BAD = 2;

    /** The catalog group this reading belongs to; the key of alignment. */
    public String groupId;

    /** Index of the reading's channel in the group's channel order (the model's column). */
    public int channel;

    /** The sensor id as it appeared on the wire. */
    public String sensorId;

    /** Event time of the measurement, epoch milliseconds UTC. */
    public long timestampMillis;

    /**
     * The measured value, always finite and within float32 range (the deserializer rejects the
     * rest), kept in double until fusion so means and interpolation lose nothing.
     */
    public double value;

    /** One of {@link #QUALITY_GOOD}, {@link #QUALITY_UNCERTAIN}, {@link #QUALITY_BAD}. */
    public byte quality;

    public SensorReading() {}

    public SensorReading(
            String groupId,
            int channel,
            String sensorId,
            long timestampMillis,
            double value,
            byte quality) {
        this.groupId = groupId;
        this.channel = channel;
        this.sensorId = sensorId;
        this.timestampMillis = timestampMillis;
        this.value = value;
        this.quality = quality;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorReading r
                && channel == r.channel
                && timestampMillis == r.timestampMillis
                && Double.compare(value, r.value) == 0
                && quality == r.quality
                && Objects.equals(groupId, r.groupId)
                && Objects.equals(sensorId, r.sensorId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, channel, sensorId, timestampMillis, value, quality);
    }

    @Override
    public String toString() {
        return "SensorReading{"
                + groupId
                + "["
                + channel
                + "] "
                + sensorId
                + " @"
                + timestampMillis
                + " = "
                + value
                + " q"
                + quality
                + "}";
    }
}
