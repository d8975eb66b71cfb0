package io.blurstream.job;

import io.blurstream.operators.record.RecordJson;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as JSON ({@link RecordJson}) to one topic, with a key chosen per record. It names
 * its topic to the sink ({@link KafkaDatasetFacetProvider}): the pooled transaction naming needs to
 * know which topics a recovering sink may have left transactions open on.
 */
final class JsonRecordSerializer<T>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    /** The record key of a sink, serialisable with the job graph; null for no key. */
    @FunctionalInterface
    interface KeyOf<T> extends Serializable {
        byte[] of(T record);
    }

    /** Called with each record and the wall-clock time right before it is serialised. */
    @FunctionalInterface
    interface BeforeWrite<T> extends Serializable {
        void accept(T record, long nowMillis);

        static <T> BeforeWrite<T> nothing() {
            return (record, nowMillis) -> {};
        }
    }

    private final String topic;
    private final KeyOf<T> key;
    private final BeforeWrite<T> beforeWrite;

    /** This sink subtask's JSON writer: one buffer for all its records (see RecordJson.Writer). */
    private transient RecordJson.Writer json;

    JsonRecordSerializer(String topic, KeyOf<T> key, BeforeWrite<T> beforeWrite) {
        this.topic = topic;
        this.key = key;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new RecordJson.Writer();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T record, KafkaSinkContext context, Long timestamp) {
        beforeWrite.accept(record, System.currentTimeMillis());
        return new ProducerRecord<>(topic, null, timestamp, key.of(record), json.toBytes(record));
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
