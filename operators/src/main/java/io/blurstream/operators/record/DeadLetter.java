package io.blurstream.operators.record;

import java.util.Objects;

/**
 * A Kafka record the ingest deserializer could not turn into a {@link SensorReading}, with enough
 * context to find, understand and replay it. Written as JSON (schema {@code
 * schemas/dead-letter.schema.json}) to the dead-letter topic.
 *
 * <p>A Flink POJO. The JSON carries {@code "v": 1}; a reader accepts the versions it knows, a
 * change that removes or retypes a field bumps it.
 */
public class DeadLetter {

    /** The JSON format version this build writes. */
    public static final int CURRENT_VERSION = 1;

    /** Format version of this document. */
    public int v = CURRENT_VERSION;

    /** The record value exactly as received, standard base64 (RFC 4648); null for a tombstone. */
    public String payloadBase64;

    /** Kafka topic the record came from. */
    public String topic;

    /** Kafka partition the record came from. */
    public int partition;

    /** Offset of the record within its partition. */
    public long offset;

    /** Machine-readable cause. */
    public DeadLetterReason reason;

    /** Human-readable cause, naming the field and what was wrong with it. */
    public String detail;

    /** Wall-clock time of the rejection, epoch milliseconds UTC. */
    public long rejectedAtMillis;

    public DeadLetter() {}

    public DeadLetter(
            String payloadBase64,
            String topic,
            int partition,
            long offset,
            DeadLetterReason reason,
            String detail,
            long rejectedAtMillis) {
        this.payloadBase64 = payloadBase64;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason;
        this.detail = detail;
        this.rejectedAtMillis = rejectedAtMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d
                && v == d.v
                && partition == d.partition
                && offset == d.offset
                && rejectedAtMillis == d.rejectedAtMillis
                && reason == d.reason
                && Objects.equals(payloadBase64, d.payloadBase64)
                && Objects.equals(topic, d.topic)
                && Objects.equals(detail, d.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                v, payloadBase64, topic, partition, offset, reason, detail, rejectedAtMillis);
    }

    @Override
    public String toString() {
        return "DeadLetter{"
                + reason
                + " "
                + topic
                + "-"
                + partition
                + "@"
                + offset
                + ": "
                + detail
                + "}";
    }
}
