package io.blurstream.job;

import io.blurstream.operators.record.RecordJson;
import java.io.Serializable;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records as JSON ({@link RecordJson}) to one topic, with a key chosen per record. */
final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** The record key of a sink, serialisable with the job graph; null for no key. */
    @FunctionalInterface
    interface KeyOf<T> extends Serializable {
        byte[] of(T record);
    }

    private final String topic;
    private final KeyOf<T> key;

    JsonRecordSerializer(String topic, KeyOf<T> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, timestamp, key.of(record), RecordJson.toBytes(record));
    }
}
