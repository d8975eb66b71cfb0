package io.blurstream.local;

import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.RecordJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the job writes (forecasts, dead letters, late readings, fused rows) as a downstream
 * consumer would, {@code read_committed}, and keeps the figures of the live summary. Runs on its
 * own thread until {@link #stop}.
 */
public final class StackMonitor implements Runnable {

    private final String bootstrapServers;
    private final String forecastTopic;
    private final String deadLetterTopic;
    private final String lateTopic;
    private final String rowTopic;

    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private long forecasts;
    private long duplicates;
    private long deadLetters;
    private long lateReadings;
    private long rows;
    private final Set<String> forecastKeys = new HashSet<>();
    private final Set<String> modelVersions = new TreeSet<>();
    private long[] latencies = new long[1024];
    private int latencyCount;

    StackMonitor(
            String bootstrapServers,
            String forecastTopic,
            String deadLetterTopic,
            String lateTopic,
            String rowTopic) {
        this.bootstrapServers = bootstrapServers;
        this.forecastTopic = forecastTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.lateTopic = lateTopic;
        this.rowTopic = rowTopic;
    }

    /** What the monitor has seen so far. */
    public record Snapshot(
            long forecasts,
            long duplicates,
            long deadLetters,
            long lateReadings,
            long rows,
            long latencyP50Ms,
            long latencyP99Ms,
            List<String> modelVersions) {}

    @Override
    public void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "blurstream-demo-monitor");
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(forecastTopic, deadLetterTopic, lateTopic, rowTopic)) {
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    count(record);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private synchronized void count(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (topic.equals(deadLetterTopic)) {
            deadLetters++;
        } else if (topic.equals(lateTopic)) {
            lateReadings++;
        } else if (topic.equals(rowTopic)) {
            rows++;
        } else if (topic.equals(forecastTopic)) {
            Forecast forecast;
            try {
                forecast = RecordJson.fromBytes(record.value(), Forecast.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the job wrote an unreadable forecast", e);
            }
            forecasts++;
            if (!forecastKeys.add(forecast.groupId + "@" + forecast.issuedForMillis)) {
                duplicates++;
            }
            modelVersions.add(forecast.modelId + " v" + forecast.modelVersion);
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, 2 * latencies.length);
            }
            latencies[latencyCount++] = forecast.latencyMillis;
        }
    }

    /** The figures so far; rethrows a failure of the monitor thread. */
    synchronized Snapshot snapshot() {
        if (failure != null) {
            throw new IllegalStateException(
                    "the monitor stopped: " + failure.getMessage(), failure);
        }
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        return new Snapshot(
                forecasts,
                duplicates,
                deadLetters,
                lateReadings,
                rows,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                List.copyOf(modelVersions));
    }

    void stop() {
        running = false;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
