package io.blurstream.bench;

import io.blurstream.local.LocalKafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the stamps of the forecasts a phase wrote, once the phase is over.
 *
 * <p>Each forecast carries the latency the job measured as it wrote it, so nothing needs to read
 * the topic while the job runs; and anything that did would share the job's two cores and heap. A
 * reader polling from the pacing loop fell behind and fetched a megabyte per partition at a time,
 * buffers G1 allocates as humongous objects; one polling continuously kept up, but made the broker
 * answer a fetch per batch of forecasts, and in the run made with it the job's p99 doubled. A real
 * deployment's consumers run elsewhere and read committed records, at checkpoints.
 */
final class ForecastReader {

    private ForecastReader() {}

    /**
     * Every forecast in {@code topic} up to its current end, uncommitted ones included (the latency
     * is the job's own), in the order of each partition.
     */
    static List<ForecastStamp> readAll(LocalKafkaBroker broker, String topic) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ForecastStamp> stamps = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "reading " + topic + " stalled after " + stamps.size() + " forecasts");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    stamps.add(ForecastStamp.read(r.value()));
                }
            }
        }
        return stamps;
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
