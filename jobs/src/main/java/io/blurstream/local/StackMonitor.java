package io.blurstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.ForecastEvaluation;
import io.blurstream.operators.record.ModelEvent;
import io.blurstream.operators.record.RecordJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the job and the refit service write (forecasts, dead letters, late readings, fused
 * rows, model events, evaluations, the refit log) as a downstream consumer would, {@code
 * read_committed}, and keeps the figures of the live summary. Runs on its own thread until {@link
 * #stop}.
 */
public final class StackMonitor implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final String forecastTopic;
    private final String deadLetterTopic;
    private final String lateTopic;
    private final String rowTopic;
    private final String modelEventTopic;
    private final String evaluationTopic;
    private final String refitLogTopic;

    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private long forecasts;
    private long duplicates;
    private long deadLetters;
    private long lateReadings;
    private long rows;
    private final Set<String> forecastKeys = new HashSet<>();
    private final Set<String> modelVersions = new TreeSet<>();
    private final Map<String, String> versionOfGroup = new HashMap<>();
    private long swaps;
    private long rejectedUpdates;
    private final Map<String, double[]> maeOfVersion = new TreeMap<>();
    private final Map<String, Long> refitOutcomes = new TreeMap<>();
    private String lastRefit = "";
    private long[] latencies = new long[1024];
    private int latencyCount;

    StackMonitor(
            String bootstrapServers,
            String forecastTopic,
            String deadLetterTopic,
            String lateTopic,
            String rowTopic,
            String modelEventTopic,
            String evaluationTopic,
            String refitLogTopic) {
        this.bootstrapServers = bootstrapServers;
        this.forecastTopic = forecastTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.lateTopic = lateTopic;
        this.rowTopic = rowTopic;
        this.modelEventTopic = modelEventTopic;
        this.evaluationTopic = evaluationTopic;
        this.refitLogTopic = refitLogTopic;
    }

    /**
     * What the monitor has seen so far.
     *
     * @param swaps version changes seen on the forecasts of a group
     * @param rejectedUpdates model-topic messages the job rejected
     * @param onlineMae per model version ({@code "id vN"}), the mean online MAE of its forecasts
     * @param refits refit decisions by outcome
     * @param lastRefit the latest refit decision in words, or empty
     */
    public record Snapshot(
            long forecasts,
            long duplicates,
            long deadLetters,
            long lateReadings,
            long rows,
            long latencyP50Ms,
            long latencyP99Ms,
            List<String> modelVersions,
            long swaps,
            long rejectedUpdates,
            Map<String, Double> onlineMae,
            Map<String, Long> refits,
            String lastRefit) {}

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
            for (String topic :
                    List.of(
                            forecastTopic,
                            deadLetterTopic,
                            lateTopic,
                            rowTopic,
                            modelEventTopic,
                            evaluationTopic,
                            refitLogTopic)) {
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
        } else if (topic.equals(modelEventTopic)) {
            ModelEvent event = read(record, ModelEvent.class);
            if (event.outcome == ModelEvent.Outcome.REJECTED) {
                rejectedUpdates++;
            }
        } else if (topic.equals(evaluationTopic)) {
            ForecastEvaluation evaluation = read(record, ForecastEvaluation.class);
            if (evaluation.observed > 0) {
                double[] sum =
                        maeOfVersion.computeIfAbsent(
                                evaluation.modelId + " v" + evaluation.modelVersion,
                                k -> new double[2]);
                sum[0] += evaluation.mae;
                sum[1]++;
            }
        } else if (topic.equals(refitLogTopic)) {
            JsonNode decision;
            try {
                decision = JSON.readTree(record.value());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the refit service wrote an unreadable line", e);
            }
            String outcome = decision.path("outcome").asText();
            refitOutcomes.merge(outcome, 1L, Long::sum);
            lastRefit =
                    decision.path("modelId").asText()
                            + " v"
                            + decision.path("candidateVersion").asLong()
                            + " "
                            + outcome
                            + ": "
                            + decision.path("reason").asText();
        } else if (topic.equals(forecastTopic)) {
            Forecast forecast = read(record, Forecast.class);
            forecasts++;
            String version = forecast.modelId + " v" + forecast.modelVersion;
            String before = versionOfGroup.put(forecast.groupId, version);
            if (before != null && !before.equals(version)) {
                swaps++;
            }
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

    private static <T> T read(ConsumerRecord<byte[], byte[]> record, Class<T> type) {
        try {
            return RecordJson.fromBytes(record.value(), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "the job wrote an unreadable record to " + record.topic(), e);
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
                List.copyOf(modelVersions),
                swaps,
                rejectedUpdates,
                onlineMae(),
                java.util.Collections.unmodifiableMap(new TreeMap<>(refitOutcomes)),
                lastRefit);
    }

    private Map<String, Double> onlineMae() {
        Map<String, Double> means = new TreeMap<>();
        maeOfVersion.forEach((version, sum) -> means.put(version, sum[0] / sum[1]));
        return means;
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
