package io.blurstream.operators.inference;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps each record of the model topic in a {@link ModelRecord}, unread: a broken or unsigned
 * record is rejected by {@link ModelAssemblyFunction} with a reason, never by failing the source.
 */
public final class ModelRecordDeserializer
        implements KafkaRecordDeserializationSchema<ModelRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelRecord> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        out.collect(
                new ModelRecord(
                        value, record.topic() + "/" + record.partition() + "@" + record.offset()));
    }

    @Override
    public TypeInformation<ModelRecord> getProducedType() {
        return TypeInformation.of(ModelRecord.class);
    }
}
