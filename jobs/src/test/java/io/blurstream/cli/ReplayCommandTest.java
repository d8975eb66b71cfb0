package io.blurstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.local.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @Test
    void replayPublishesEveryPlannedRecordOnTheChannelsTopics(@TempDir Path dir) throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir)) {
            broker.createTopics(Map.of("sensors.load", 2, "sensors.temperature", 1));
            CommandLine run =
                    CommandLine.run(
                            "replay",
                            "--bootstrap-servers",
                            broker.bootstrapServers(),
                            "--groups",
                            "transformer-1=ETTh1",
                            "--rows",
                            "50",
                            "--speedup",
                            "0",
                            "--duplicate",
                            "0.05",
                            "--malformed",
                            "0.05",
                            "--json");
            assertThat(run.exit()).as(run.err()).isEqualTo(Blurstream.EXIT_OK);
            JsonNode summary = new ObjectMapper().readTree(run.lastOutLine());
            long duplicates = summary.path("duplicates").asLong();
            long malformed = summary.path("malformed").asLong();
            assertThat(duplicates).isPositive();
            assertThat(malformed).isPositive();
            assertThat(summary.path("readings").asLong()).isEqualTo(50 * 7 + duplicates);
            assertThat(summary.path("records").asLong()).isEqualTo(50 * 7 + duplicates + malformed);
            long load = count(broker, "sensors.load");
            long temperature = count(broker, "sensors.temperature");
            assertThat(load + temperature).isEqualTo(summary.path("records").asLong());
            assertThat(temperature)
                    .as("one OT sensor, 50 rows, and its extras")
                    .isBetween(50L, 70L);
        }
    }

    private static long count(LocalKafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }
}
