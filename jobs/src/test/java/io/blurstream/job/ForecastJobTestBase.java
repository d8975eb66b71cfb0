package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.model.BlurModel;
import io.blurstream.model.Forecaster;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.DeadLetter;
import io.blurstream.operators.record.DeadLetterReason;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.FusedRow;
import io.blurstream.operators.record.RecordJson;
import io.blurstream.replay.KafkaReplayer;
import io.blurstream.replay.ReplayOptions;
import io.blurstream.replay.ReplayPlan;
import io.blurstream.replay.ReplayRecord;
import io.blurstream.replay.ReplaySensor;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.TimeSeriesTable;
import io.blurstream.training.refit.ModelPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forecast job end to end on a real broker and a real MiniCluster (parallelism 2): ETTh1
 * replayed as seven sensors on two topics, out of order and with broken records mixed in, the
 * shipped ETTh1 model published to the model topic; every forecast must appear exactly once, equal
 * the forecaster run offline on the same window, and every broken record must reach the dead-letter
 * topic with its reason. Subclasses choose the broker.
 */
abstract class ForecastJobTestBase extends JobTestBase {

    static final int W = 96;

    /** The ETTh1 test split with its lookback: rows 11424 to 14400. */
    static final int FIRST_ROW = 11_520 - W;

    static final int ROWS = 14_400 - FIRST_ROW;
    static final long HOUR = 3_600_000;

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void replayedSensorsBecomeExactlyOneCorrectForecastPerTick(int parallelism) throws Exception {
        try (TestBroker broker = startBroker()) {
            createTopics(broker);
            SourceCatalog catalog = SourceCatalog.fromResource("catalogs/etth1.yaml");
            TimeSeriesTable table =
                    DatasetCatalog.lookup("ETTh1").read(DatasetCatalog.locateDataDirectory());
            List<ReplaySensor> sensors = sensors(catalog);
            // readings up to 30 min out of order (the watermark allows an hour), 1% sent twice,
            // and 1% extra broken records of every kind
            List<ReplayRecord> plan =
                    ReplayPlan.plan(
                            table,
                            sensors,
                            FIRST_ROW,
                            ROWS,
                            ReplayOptions.disordered(HOUR / 2, 5)
                                    .withLoss(0, 0.01)
                                    .withMalformed(0.01));
            try (KafkaReplayer replayer = new KafkaReplayer(broker.bootstrapServers())) {
                replayer.send(plan, 0, sent -> {});
            }
            Path modelFile = TestBroker.repositoryFile("models/ETTh1-blur-96.json");
            publishModel(broker, Files.readAllBytes(modelFile));

            Configuration options = jobOptions(broker);
            options.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            options.set(ForecastJobOptions.MAX_PENDING_WINDOWS, 10_000);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(parallelism);
            ForecastJob.fromConfiguration(options, true).addTo(env);
            env.execute("forecast job test");

            List<Forecast> forecasts = new ArrayList<>();
            for (byte[] value : readAll(broker, "forecasts")) {
                forecasts.add(RecordJson.fromBytes(value, Forecast.class));
            }
            BlurModel model = ModelCodec.read(modelFile);
            Forecaster forecaster = new Forecaster(model);
            Forecaster.Workspace ws = forecaster.newWorkspace(1);
            Map<Long, Forecast> byTick = new HashMap<>();
            for (Forecast f : forecasts) {
                assertThat(byTick.put(f.issuedForMillis, f))
                        .as("a second forecast for tick %d", f.issuedForMillis)
                        .isNull();
            }
            for (int last = FIRST_ROW + W - 1; last < FIRST_ROW + ROWS; last++) {
                long tick = table.timestampMillis(last);
                Forecast f = byTick.get(tick);
                assertThat(f).as("forecast for row %d", last).isNotNull();
                assertThat(f.modelId).isEqualTo(model.modelId());
                assertThat(f.modelVersion).isEqualTo(model.version());
                assertThat(f.imputedShare).isZero();
                assertMatchesOffline(f, table, last, forecaster, ws);
            }
            List<DeadLetterReason> expectedReasons =
                    plan.stream()
                            .filter(r -> r.kind() == ReplayRecord.Kind.MALFORMED)
                            .map(ReplayRecord::expectedReason)
                            .toList();
            List<DeadLetter> deadLetters = new ArrayList<>();
            for (byte[] value : readAll(broker, "dead-letters")) {
                deadLetters.add(RecordJson.fromBytes(value, DeadLetter.class));
            }
            assertThat(java.util.EnumSet.copyOf(expectedReasons))
                    .as("every kind of broken record was sent")
                    .hasSize(7);
            assertThat(deadLetters)
                    .extracting(d -> d.reason)
                    .containsExactlyInAnyOrderElementsOf(expectedReasons);
            assertThat(deadLetters)
                    .allMatch(d -> d.payloadBase64 != null && d.topic.startsWith("sensors."));
            // at the end of the input the group keeps ticking through its silence allowance
            // (maxGapTicks: 24 in the catalog), on carried values that the forecasts flag
            long lastReading = table.timestampMillis(FIRST_ROW + ROWS - 1);
            List<Forecast> afterData =
                    forecasts.stream().filter(f -> f.issuedForMillis > lastReading).toList();
            assertThat(forecasts).hasSize(ROWS - W + 1 + afterData.size());
            assertThat(afterData)
                    .hasSize(catalog.group("transformer-1").maxGapTicks())
                    .allMatch(f -> f.imputedShare > 0);
            List<FusedRow> rows = new ArrayList<>();
            for (byte[] value : readAll(broker, "fused-rows")) {
                rows.add(RecordJson.fromBytes(value, FusedRow.class));
            }
            assertThat(rows)
                    .as(
                            "one fused row per tick, the ticks after the data included; runs"
                                    + " present (hours from the first tick): %s",
                            runs(rows, table.timestampMillis(FIRST_ROW)))
                    .hasSize(ROWS + afterData.size())
                    .allMatch(r -> r.groupId.equals("transformer-1"));
        }
    }

    @Test
    void aMissingTopicIsNamedBeforeTheJobStarts() throws Exception {
        try (TestBroker broker = startBroker()) {
            broker.createTopics(Map.of("sensors.load", 1, "forecasts", 1));
            Configuration options = jobOptions(broker);
            ForecastJob job = ForecastJob.fromConfiguration(options, false);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> job.checkTopicsExist(Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sensors.temperature (blur.topics.readings)")
                    .hasMessageContaining("models (blur.topics.models)")
                    .hasMessageContaining("dead-letters (blur.topics.dead-letters)")
                    .hasMessageNotContaining("forecasts (")
                    .hasMessageNotContaining("sensors.load");
            // client settings under blur.kafka.properties. reach the clients: TLS against this
            // plaintext listener cannot even list the topics
            options.setString(
                    ForecastJobOptions.KAFKA_PROPERTIES_PREFIX + "security.protocol", "SSL");
            ForecastJob overTls = ForecastJob.fromConfiguration(options, false);
            // without online evaluation its topic is not needed
            Configuration noEvaluation = jobOptions(broker);
            noEvaluation.set(ForecastJobOptions.EVALUATION_ENABLED, false);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    ForecastJob.fromConfiguration(noEvaluation, false)
                                            .checkTopicsExist(Duration.ofSeconds(30)))
                    .hasMessageContaining("models (blur.topics.models)")
                    .hasMessageNotContaining("evaluations (");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> overTls.checkTopicsExist(Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot list the topics of");
        }
    }

    /**
     * A TaskManager dies while the job runs unbounded on a paced replay; after the restart from the
     * last checkpoint every forecast must still be there exactly once, with the right values.
     */
    @Test
    void aTaskManagerFailureLosesAndRepeatsNoForecast(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        int rows = 400;
        try (TestBroker broker = startBroker()) {
            createTopics(broker);
            SourceCatalog catalog = SourceCatalog.fromResource("catalogs/etth1.yaml");
            TimeSeriesTable table =
                    DatasetCatalog.lookup("ETTh1").read(DatasetCatalog.locateDataDirectory());
            List<ReplaySensor> sensors = sensors(catalog);
            List<ReplayRecord> plan =
                    ReplayPlan.plan(table, sensors, 0, rows, ReplayOptions.disordered(HOUR / 2, 9));
            Path modelFile = TestBroker.repositoryFile("models/ETTh1-blur-96.json");
            publishModel(broker, Files.readAllBytes(modelFile));

            Configuration options = jobOptions(broker);
            options.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            options.set(ForecastJobOptions.MAX_PENDING_WINDOWS, 10_000);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            Configuration restart = new Configuration();
            restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(500));
            restart.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(20));
            env.configure(restart, getClass().getClassLoader());
            ForecastJob.fromConfiguration(options, false).addTo(env);
            JobClient job = env.executeAsync("forecast job failover test");
            try {
                AtomicLong sent = new AtomicLong();
                CountDownLatch aThirdSent = new CountDownLatch(1);
                Thread replay =
                        new Thread(
                                () -> {
                                    try (KafkaReplayer replayer =
                                            new KafkaReplayer(broker.bootstrapServers())) {
                                        // 400 hours of readings in about 8 seconds
                                        replayer.send(
                                                plan,
                                                180_000,
                                                n -> {
                                                    sent.set(n);
                                                    if (n >= plan.size() / 3) {
                                                        aThirdSent.countDown();
                                                    }
                                                });
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
                replay.start();
                assertThat(aThirdSent.await(60, TimeUnit.SECONDS))
                        .as("a third of the replay sent")
                        .isTrue();
                cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
                cluster.startTaskManager();
                replay.join(120_000);
                assertThat(sent.get()).isEqualTo(plan.size());

                // the ticks the watermark must release once every reading is in
                long watermark = table.timestampMillis(rows - 1) - HOUR - 1;
                long lateness = catalog.group("transformer-1").allowedLatenessMillis();
                List<Long> expectedTicks = new ArrayList<>();
                for (int last = W - 1; last < rows; last++) {
                    if (table.timestampMillis(last) + lateness <= watermark) {
                        expectedTicks.add(table.timestampMillis(last));
                    }
                }
                Await.until(
                        "a committed forecast for every expected tick",
                        Duration.ofSeconds(90),
                        () -> readAll(broker, "forecasts").size() >= expectedTicks.size());
                assertThat(
                                cluster.getExecutionGraph(job.getJobID())
                                        .get(30, TimeUnit.SECONDS)
                                        .getFailureInfo())
                        .as("the job failed over")
                        .isNotNull();
                // a duplicate would be committed with a later checkpoint: wait for two more
                long completed = completedCheckpoints(cluster, job);
                Await.until(
                        "two more completed checkpoints",
                        Duration.ofSeconds(60),
                        () -> completedCheckpoints(cluster, job) >= completed + 2);
                List<Forecast> forecasts = new ArrayList<>();
                for (byte[] value : readAll(broker, "forecasts")) {
                    forecasts.add(RecordJson.fromBytes(value, Forecast.class));
                }
                assertThat(forecasts)
                        .extracting(f -> f.issuedForMillis)
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expectedTicks);
                Forecaster forecaster = new Forecaster(ModelCodec.read(modelFile));
                Forecaster.Workspace ws = forecaster.newWorkspace(1);
                for (Forecast f : forecasts) {
                    int last = rowOf(table, f.issuedForMillis);
                    assertMatchesOffline(f, table, last, forecaster, ws);
                }
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The ticks present as runs of consecutive hours, for failure messages. */
    private static String runs(List<FusedRow> rows, long origin) {
        long[] hours =
                rows.stream().mapToLong(r -> (r.tickMillis - origin) / HOUR).sorted().toArray();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hours.length; i++) {
            int j = i;
            while (j + 1 < hours.length && hours[j + 1] == hours[j] + 1) {
                j++;
            }
            out.append(hours[i]).append('-').append(hours[j]).append(' ');
            i = j;
        }
        return out.toString();
    }

    static void createTopics(TestBroker broker) {
        broker.createTopics(
                Map.of(
                        "sensors.load", 2,
                        "sensors.temperature", 1,
                        "models", 1,
                        "model-events", 1,
                        "evaluations", 1,
                        "forecasts", 2,
                        "dead-letters", 1,
                        "late-readings", 1,
                        "fused-rows", 1));
    }

    /** The seven ETTh1 sensors: the oil temperature on its own topic, the loads on another. */
    static List<ReplaySensor> sensors(SourceCatalog catalog) {
        return ReplaySensor.ofGroup(
                catalog,
                "transformer-1",
                channel -> channel.equals("OT") ? "sensors.temperature" : "sensors.load");
    }

    /** The job on the ETTh1 catalog and both reading topics, waiting an hour for disorder. */
    static Configuration jobOptions(TestBroker broker) {
        Configuration options = new Configuration();
        options.set(ForecastJobOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        options.set(ForecastJobOptions.CATALOG, "classpath:catalogs/etth1.yaml");
        options.set(ForecastJobOptions.MODEL_KEY_FILE, modelKey().toString());
        options.set(
                ForecastJobOptions.READING_TOPICS, List.of("sensors.load", "sensors.temperature"));
        options.set(ForecastJobOptions.OUT_OF_ORDERNESS, Duration.ofHours(1));
        return options;
    }

    /** {@code f} equals the forecaster run offline on the CSV window ending at row {@code last}. */
    static void assertMatchesOffline(
            Forecast f,
            TimeSeriesTable table,
            int last,
            Forecaster forecaster,
            Forecaster.Workspace ws) {
        float[] window = new float[W * 7];
        for (int r = 0; r < W; r++) {
            for (int c = 0; c < 7; c++) {
                window[r * 7 + c] = (float) table.value(last - W + 1 + r, c);
            }
        }
        float[] expected = new float[forecaster.horizon() * 7];
        forecaster.forecast(window, 0, expected, 0, ws);
        for (int i = 0; i < expected.length; i++) {
            assertThat(f.values[i])
                    .as("row %d value %d", last, i)
                    .isCloseTo(
                            expected[i],
                            org.assertj.core.data.Offset.offset(
                                    1e-4f * (1 + Math.abs(expected[i]))));
        }
    }

    static long completedCheckpoints(MiniCluster cluster, JobClient job) throws Exception {
        return cluster.getExecutionGraph(job.getJobID())
                .get(30, TimeUnit.SECONDS)
                .getCheckpointStatsSnapshot()
                .getCounts()
                .getNumberOfCompletedCheckpoints();
    }

    static int rowOf(TimeSeriesTable table, long millis) {
        for (int r = 0; r < table.rows(); r++) {
            if (table.timestampMillis(r) == millis) {
                return r;
            }
        }
        throw new AssertionError("no row at " + millis);
    }

    /** The HMAC secret the tests sign model updates with (one per test JVM). */
    static Path modelKey() {
        synchronized (ForecastJobTestBase.class) {
            if (modelKey == null) {
                try {
                    Path dir = Files.createTempDirectory("blurstream-test-key");
                    modelKey = dir.resolve("model.key");
                    UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), modelKey);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return modelKey;
        }
    }

    private static Path modelKey;

    /** Publishes {@code modelFile} signed with {@link #modelKey}, in chunks, to "models". */
    static void publishModel(TestBroker broker, byte[] modelFile) throws Exception {
        try (ModelPublisher publisher =
                new ModelPublisher(
                        broker.bootstrapServers(),
                        "models",
                        UpdateKeys.signerFromFile(modelKey()),
                        UpdateMessages.DEFAULT_CHUNK_BYTES,
                        java.time.Clock.systemUTC())) {
            publisher.publishModel(modelFile, UpdateStage.SERVE, Map.of(), Duration.ofSeconds(30));
        }
    }

    /** Every committed record of {@code topic}, read to its end offsets. */
    static List<byte[]> readAll(TestBroker broker, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<byte[]> values = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = settledEndOffsets(broker, consumer, partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    /**
     * The end offsets once the last stable offset has caught up with the high watermark. A {@code
     * read_committed} consumer's end offsets are the last stable offset, which trails for a moment
     * after a commit was acknowledged, until the broker has written the commit markers; read right
     * after the job finished, it would cut off the last transaction.
     */
    private static Map<TopicPartition, Long> settledEndOffsets(
            TestBroker broker,
            KafkaConsumer<byte[], byte[]> committed,
            List<TopicPartition> partitions)
            throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (var uncommitted =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Await.until(
                    "the last stable offsets of " + partitions + " to reach the written ones",
                    Duration.ofSeconds(30),
                    () ->
                            committed
                                    .endOffsets(partitions)
                                    .equals(uncommitted.endOffsets(partitions)));
            return committed.endOffsets(partitions);
        }
    }
}
