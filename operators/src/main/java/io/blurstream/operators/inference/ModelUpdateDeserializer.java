package io.blurstream.operators.inference;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps each record of the model topic in a {@link ModelUpdate}, unparsed: a broken model file is
 * rejected by {@link ForecastFunction} with a reason and a counter, never by failing the source.
 */
public final class ModelUpdateDeserializer
        implements KafkaRecordDeserializationSchema<ModelUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelUpdate> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        out.collect(
                new ModelUpdate(
                        value, record.topic() + "/" + record.partition() + "@" + record.offset()));
    }

    @Override
    public TypeInformation<ModelUpdate> getProducedType() {
        return TypeInformation.of(ModelUpdate.class);
    }
}
