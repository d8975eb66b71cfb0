package io.blurstream.cluster;

import io.blurstream.local.LocalKafkaBroker;
import io.blurstream.local.LocalStack;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.RecordJson;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.SplitBorders;
import io.blurstream.training.data.TimeSeriesTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The job jar on a real standalone Flink cluster: a child-JVM Kafka broker, a JobManager and two
 * TaskManagers of one slot ({@link StandaloneFlinkCluster}); the job submitted with the Flink
 * command line at parallelism 2; the test split of ETTh1 and ETTh2 replayed as two transformers'
 * sensors by the job jar's replay command, part before and part after a stop with a savepoint and a
 * resubmission from it at parallelism 1. Every window the replayed rows define must be forecast
 * exactly once across the restart.
 */
public final class ClusterSmoke {

    static final String CATALOG = "classpath:demo/ett-transformers.yaml";
    static final Map<String, String> GROUPS =
            Map.of("transformer-1", "ETTh1", "transformer-2", "ETTh2");
    static final int WINDOW = 96;
    static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(1);

    /**
     * What to run.
     *
     * @param rowsBefore rows replayed per transformer before the savepoint
     * @param rowsAfter rows replayed after the job resumed from it
     */
    public record Settings(
            Path workDirectory,
            Path jobJar,
            Path modelFile,
            Path dataDirectory,
            int rowsBefore,
            int rowsAfter) {}

    /**
     * The {@code --json} summary.
     *
     * @param forecasts distinct windows forecast (group and issue time)
     * @param duplicates forecasts of a window already forecast
     * @param parallelismBefore the job's parallelism before the savepoint, from the REST API
     * @param parallelismAfter ... and after the resubmission
     * @param savepointRestored the REST API says the resumed job restored the savepoint taken
     */
    public record Summary(
            long forecasts,
            long forecastsExpected,
            long duplicates,
            int parallelismBefore,
            int parallelismAfter,
            boolean savepointRestored,
            String savepoint,
            double seconds) {}

    private ClusterSmoke() {}

    public static Summary run(Settings settings, Consumer<String> progress) throws Exception {
        long start = System.nanoTime();
        Path work = settings.workDirectory();
        SourceCatalog catalog = SourceCatalog.locate(CATALOG);
        Map<String, TimeSeriesTable> tables = new LinkedHashMap<>();
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            tables.put(
                    group.getKey(),
                    DatasetCatalog.lookup(group.getValue()).read(settings.dataDirectory()));
        }
        TimeSeriesTable etth1 = tables.get("transformer-1");
        SplitBorders borders = DatasetCatalog.lookup("ETTh1").borders(etth1.rows());
        int firstRow = borders.validationEnd() - WINDOW;
        int rows = settings.rowsBefore() + settings.rowsAfter();
        long expectedBefore = 0;
        long expected = 0;
        for (Map.Entry<String, TimeSeriesTable> group : tables.entrySet()) {
            var spec = catalog.group(group.getKey());
            expectedBefore +=
                    LocalStack.windowsReleased(
                            spec,
                            group.getValue(),
                            firstRow,
                            settings.rowsBefore(),
                            WINDOW,
                            OUT_OF_ORDERNESS);
            expected +=
                    LocalStack.windowsReleased(
                            spec, group.getValue(), firstRow, rows, WINDOW, OUT_OF_ORDERNESS);
        }

        progress.accept("starting a Kafka broker (child JVM)");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"))) {
            broker.createTopics(
                    Map.of(
                            "sensors", 2,
                            "models", 1,
                            "model-events", 1,
                            "evaluations", 1,
                            "forecasts", 2,
                            "dead-letters", 1,
                            "late-readings", 1,
                            "fused-rows", 2));
            Path key = work.resolve("model.key");
            UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), key);
            Path options = work.resolve("blur.yaml");
            Files.writeString(
                    options,
                    String.join(
                            "\n",
                            "blur.kafka.bootstrap-servers: " + broker.bootstrapServers(),
                            "blur.topics.readings: sensors",
                            "blur.catalog: " + CATALOG,
                            "blur.model.file: " + settings.modelFile().toAbsolutePath(),
                            "blur.models.key-file: " + key.toAbsolutePath(),
                            "blur.watermark.max-out-of-orderness: "
                                    + OUT_OF_ORDERNESS.toSeconds()
                                    + " s",
                            "blur.checkpoint.interval: 2 s",
                            ""),
                    StandardCharsets.UTF_8);
            List<String> jobArgs = List.of("--config", options.toString());

            progress.accept("starting a Flink cluster: a JobManager and two TaskManagers");
            try (StandaloneFlinkCluster cluster =
                    StandaloneFlinkCluster.start(work.resolve("flink"), 2, 1)) {
                progress.accept("submitting the job jar at parallelism 2");
                String first = cluster.submit(settings.jobJar(), 2, null, jobArgs);
                awaitRunning(cluster, first);
                int parallelismBefore = cluster.jobParallelism(first);
                progress.accept("replaying " + settings.rowsBefore() + " rows per transformer");
                replay(cluster, settings, broker, firstRow, settings.rowsBefore());
                awaitForecasts(broker, expectedBefore, Duration.ofMinutes(3));

                progress.accept("stopping the job with a savepoint");
                String savepoint = cluster.stopWithSavepoint(first);
                progress.accept("resubmitting from " + savepoint + " at parallelism 1");
                String second = cluster.submit(settings.jobJar(), 1, savepoint, jobArgs);
                awaitRunning(cluster, second);
                int parallelismAfter = cluster.jobParallelism(second);
                boolean restored = restoredFrom(cluster, second, savepoint);
                progress.accept("replaying " + settings.rowsAfter() + " more rows");
                replay(
                        cluster,
                        settings,
                        broker,
                        firstRow + settings.rowsBefore(),
                        settings.rowsAfter());
                awaitForecasts(broker, expected, Duration.ofMinutes(3));
                // a repeated forecast would come with a later checkpoint: wait for two more
                awaitCheckpoints(cluster, second, cluster.completedCheckpoints(second) + 2);
                List<Forecast> forecasts = readForecasts(broker);
                Set<String> windows = new HashSet<>();
                long duplicates = 0;
                for (Forecast forecast : forecasts) {
                    if (!windows.add(forecast.groupId + "@" + forecast.issuedForMillis)) {
                        duplicates++;
                    }
                }
                return new Summary(
                        windows.size(),
                        expected,
                        duplicates,
                        parallelismBefore,
                        parallelismAfter,
                        restored,
                        savepoint,
                        Math.round((System.nanoTime() - start) / 1e8) / 10.0);
            }
        }
    }

    /**
     * Replays rows of both transformers with the replay command of the job jar, run as on a cluster
     * node (Flink's jars and the job jar, nothing else).
     */
    private static void replay(
            StandaloneFlinkCluster cluster,
            Settings settings,
            LocalKafkaBroker broker,
            int firstRow,
            int rows)
            throws Exception {
        cluster.blurstream(
                settings.jobJar(),
                List.of(
                        "replay",
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--catalog",
                        CATALOG,
                        "--groups",
                        GROUPS.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .sorted()
                                .collect(java.util.stream.Collectors.joining(",")),
                        "--topic",
                        "sensors",
                        "--topic-of",
                        "OT=sensors",
                        "--first-row",
                        String.valueOf(firstRow),
                        "--rows",
                        String.valueOf(rows),
                        "--speedup",
                        "0",
                        "--data",
                        settings.dataDirectory().toAbsolutePath().toString()));
    }

    private static void awaitRunning(StandaloneFlinkCluster cluster, String jobId)
            throws Exception {
        String[] state = {""};
        Poll.until(
                Duration.ofMinutes(2),
                Duration.ofMillis(250),
                () -> {
                    state[0] = cluster.jobState(jobId);
                    return state[0].equals("RUNNING")
                            || state[0].equals("FAILED")
                            || state[0].equals("CANCELED");
                });
        if (!state[0].equals("RUNNING")) {
            throw new IllegalStateException(
                    "job "
                            + jobId
                            + " is "
                            + state[0]
                            + "; see the logs in "
                            + cluster.logDirectory());
        }
    }

    /**
     * Whether the job's latest restore, per the REST API, was the savepoint at {@code path}; the
     * statistics may lag the job's start by a moment, so they are asked for up to 30 s.
     */
    private static boolean restoredFrom(StandaloneFlinkCluster cluster, String jobId, String path)
            throws Exception {
        return Poll.until(
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                () -> {
                    var restored =
                            cluster.rest("/jobs/" + jobId + "/checkpoints")
                                    .path("latest")
                                    .path("restored");
                    return restored.path("is_savepoint").asBoolean(false)
                            && path.endsWith(
                                    restored.path("external_path")
                                            .asText("-")
                                            .replaceFirst("^file:", ""));
                });
    }

    private static void awaitCheckpoints(StandaloneFlinkCluster cluster, String jobId, long count)
            throws Exception {
        if (!Poll.until(
                Duration.ofMinutes(1),
                Duration.ofMillis(200),
                () -> cluster.completedCheckpoints(jobId) >= count)) {
            throw new IllegalStateException(
                    "job " + jobId + " completed no " + count + "th checkpoint within a minute");
        }
    }

    private static void awaitForecasts(LocalKafkaBroker broker, long expected, Duration timeout)
            throws Exception {
        long[] seen = {0};
        if (!Poll.until(
                timeout,
                Duration.ofSeconds(1),
                () -> (seen[0] = readForecasts(broker).size()) >= expected)) {
            throw new IllegalStateException(
                    "saw " + seen[0] + " forecasts within " + timeout + ", expected " + expected);
        }
    }

    /** Every committed forecast on the forecasts topic. */
    static List<Forecast> readForecasts(LocalKafkaBroker broker) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Forecast> forecasts = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor("forecasts").stream()
                            .map(p -> new TopicPartition("forecasts", p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    forecasts.add(RecordJson.fromBytes(r.value(), Forecast.class));
                }
            }
        }
        return forecasts;
    }
}
