package io.blurstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @Test
    void extraJavaOptionsAreTheWhitespaceSeparatedWordsOfTheVariable() {
        assertThat(LocalKafkaBroker.extraJavaOptions(null)).isEmpty();
        assertThat(LocalKafkaBroker.extraJavaOptions("  ")).isEmpty();
        assertThat(LocalKafkaBroker.extraJavaOptions(" -Xlog:gc  -Dx=1\t-ea "))
                .containsExactly("-Xlog:gc", "-Dx=1", "-ea");
    }

    @Test
    void clusterIdsNeverLookLikeAnOption() {
        // about one id in 64 would start with '-' if drawn naively
        for (int i = 0; i < 2000; i++) {
            String id = LocalKafkaBroker.clusterId();
            assertThat(id).hasSize(22).doesNotStartWith("-");
        }
    }

    @Test
    void aStartedBrokerStoresAndServesRecordsAndStopsOnClose(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir);
        System.out.printf("broker up in %.1f s%n", (System.nanoTime() - start) / 1e9);
        try (broker) {
            broker.createTopics(Map.of("greetings", 2));
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(
                            producerProps, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("greetings", "k" + i, "hello " + i)).get();
                }
            }
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(
                            consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("greetings"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertThat(values).hasSize(10).contains("hello 0", "hello 9");
            assertThat(broker.directory().resolve("broker.log"))
                    .content(StandardCharsets.UTF_8)
                    .isNotEmpty();
        }
        assertThat(broker.isRunning()).as("broker process after close").isFalse();
    }
}
