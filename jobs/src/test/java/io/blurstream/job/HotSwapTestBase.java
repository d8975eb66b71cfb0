package io.blurstream.job;

import static io.blurstream.job.ForecastJobTestBase.HOUR;
import static io.blurstream.job.ForecastJobTestBase.W;
import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.model.BlurModel;
import io.blurstream.model.BlurParameters;
import io.blurstream.model.Forecaster;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateKind;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.ForecastEvaluation;
import io.blurstream.operators.record.ModelEvent;
import io.blurstream.operators.record.RecordJson;
import io.blurstream.replay.KafkaReplayer;
import io.blurstream.replay.ReplayOptions;
import io.blurstream.replay.ReplayPlan;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.TimeSeriesTable;
import io.blurstream.training.refit.ModelPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

/**
 * Hot swap on a real broker and a real MiniCluster (parallelism 2): ETTh1 replayed in phases into a
 * running job while signed model updates arrive between them. Each forecast must carry the version
 * that made it, the versions of the group must change only at the swap points (never back and
 * forth), every value must equal the offline forecast of that version, and no forecast may be lost
 * or repeated — also across a TaskManager failure after the swap. Subclasses choose the broker.
 */
abstract class HotSwapTestBase extends JobTestBase {

    static final int ROWS = 600;

    @Test
    void aSwapAndARollbackChangeTheVersionBetweenWindowsAndBadUpdatesChangeNothing()
            throws Exception {
        try (TestBroker broker = startBroker()) {
            Models models = topicsWithV1(broker);
            JobClient job = submit(broker, false);
            try (ModelPublisher publisher = publisher(broker, ForecastJobTestBase.modelKey())) {
                swapToV2(broker, models, publisher);
                // a stranger's key, and an older version: both rejected, v2 keeps serving
                Path strangerKey = Files.createTempFile("stranger", ".key");
                Files.delete(strangerKey);
                UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), strangerKey);
                try (ModelPublisher stranger = publisher(broker, strangerKey)) {
                    stranger.publishModel(
                            models.file(models.v1.withVersion(3)),
                            UpdateStage.SERVE,
                            Map.of(),
                            Duration.ofSeconds(30));
                }
                publisher.publishModel(
                        models.v1File, UpdateStage.SERVE, Map.of(), Duration.ofSeconds(30));
                awaitEvent(broker, "model", 1, ModelEvent.Outcome.REJECTED);
                replay(broker, 250, 170);
                awaitForecasts(broker, 250);
                publisher.publishControl(
                        UpdateKind.ROLLBACK, models.v1.modelId(), 1, Duration.ofSeconds(30));
                awaitEvent(broker, "rollback", 1, ModelEvent.Outcome.ACCEPTED);
                replay(broker, 420, ROWS - 420);
                List<Forecast> forecasts = awaitAllForecasts(broker);

                assertThat(versionRuns(forecasts)).containsExactly(1L, 2L, 1L);
                models.assertEachMatchesItsVersion(forecasts);
                List<ModelEvent> events = events(broker);
                List<String> decisions =
                        events.stream()
                                .map(e -> e.kind + " v" + e.version + " " + e.outcome)
                                .toList();
                assertThat(decisions).hasSize(5);
                assertThat(decisions.subList(0, 2))
                        .containsExactly("model v1 ACCEPTED", "model v2 ACCEPTED");
                // the stranger's update is rejected where updates are verified, the older version
                // where models are served: two operators, whose events may reach the topic in
                // either order
                assertThat(decisions.subList(2, 4))
                        .containsExactlyInAnyOrder("model v3 REJECTED", "model v1 REJECTED");
                assertThat(decisions.get(4)).isEqualTo("rollback v1 ACCEPTED");
                assertThat(events)
                        .filteredOn(e -> e.version == 3)
                        .singleElement()
                        .satisfies(e -> assertThat(e.reason).startsWith("bad signature"));
                assertThat(events.subList(2, 4))
                        .filteredOn(e -> e.version == 1)
                        .singleElement()
                        .satisfies(e -> assertThat(e.reason).contains("not newer than v2"));
                assertThat(events.get(4).servingVersion).isEqualTo(1);
                assertEvaluationsMatch(broker, forecasts, models.table);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void afterAFailureTheJobServesTheSwappedVersionWithoutTheModelBeingSentAgain(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        try (TestBroker broker = startBroker()) {
            Models models = topicsWithV1(broker);
            JobClient job = submit(broker, true);
            try (ModelPublisher publisher = publisher(broker, ForecastJobTestBase.modelKey())) {
                swapToV2(broker, models, publisher);
                // the event is committed with a checkpoint that holds v2 in broadcast state
                long completed = ForecastJobTestBase.completedCheckpoints(cluster, job);
                Await.until(
                        "a checkpoint after the swap",
                        Duration.ofSeconds(60),
                        () -> ForecastJobTestBase.completedCheckpoints(cluster, job) > completed);
                cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
                cluster.startTaskManager();
                replay(broker, 250, ROWS - 250);
                List<Forecast> forecasts = awaitAllForecasts(broker);
                assertThat(
                                cluster.getExecutionGraph(job.getJobID())
                                        .get(30, TimeUnit.SECONDS)
                                        .getFailureInfo())
                        .as("the job failed over")
                        .isNotNull();
                // a duplicate would be committed with a later checkpoint: wait for two more
                long now = ForecastJobTestBase.completedCheckpoints(cluster, job);
                Await.until(
                        "two more completed checkpoints",
                        Duration.ofSeconds(60),
                        () -> ForecastJobTestBase.completedCheckpoints(cluster, job) >= now + 2);
                forecasts = readForecasts(broker);
                assertThat(forecasts).extracting(f -> f.issuedForMillis).doesNotHaveDuplicates();
                assertThat(forecasts).hasSize(expectedTicks(models.table).size());
                assertThat(versionRuns(forecasts)).containsExactly(1L, 2L);
                models.assertEachMatchesItsVersion(forecasts);
                assertThat(events(broker))
                        .extracting(e -> e.kind + " v" + e.version + " " + e.outcome)
                        .containsExactly("model v1 ACCEPTED", "model v2 ACCEPTED");
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aJobRestoredFromASavepointAtAnotherParallelismServesTheSwappedVersion(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (TestBroker broker = startBroker()) {
            Models models = topicsWithV1(broker);
            JobClient job = submit(broker, false, 2, null);
            String savepoint;
            try (ModelPublisher publisher = publisher(broker, ForecastJobTestBase.modelKey())) {
                swapToV2(broker, models, publisher);
                savepoint =
                        job.stopWithSavepoint(
                                        false,
                                        dir.toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(60, TimeUnit.SECONDS);
            }
            JobClient restored = submit(broker, false, 1, savepoint);
            try {
                replay(broker, 250, ROWS - 250);
                List<Forecast> forecasts = awaitAllForecasts(broker);
                assertThat(versionRuns(forecasts)).containsExactly(1L, 2L);
                models.assertEachMatchesItsVersion(forecasts);
                // the restored job read no model again: no second decision about v1 or v2
                assertThat(events(broker))
                        .extracting(e -> e.kind + " v" + e.version + " " + e.outcome)
                        .containsExactly("model v1 ACCEPTED", "model v2 ACCEPTED");
            } finally {
                restored.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Creates the topics and publishes v1 to the model topic. */
    static Models topicsWithV1(TestBroker broker) throws Exception {
        ForecastJobTestBase.createTopics(broker);
        Models models = Models.load();
        ForecastJobTestBase.publishModel(broker, models.v1File);
        return models;
    }

    /** Replays the first 250 rows, waits for forecasts of v1, then swaps v2 in. */
    static void swapToV2(TestBroker broker, Models models, ModelPublisher publisher)
            throws Exception {
        replay(broker, 0, 250);
        awaitForecasts(broker, 100);
        publisher.publishModel(models.v2File, UpdateStage.SERVE, Map.of(), Duration.ofSeconds(30));
        awaitEvent(broker, "model", 2, ModelEvent.Outcome.ACCEPTED);
    }

    /** The shipped ETTh1 model as v1 and a perturbed copy as v2, with their forecasters. */
    record Models(BlurModel v1, byte[] v1File, BlurModel v2, byte[] v2File, TimeSeriesTable table) {

        static Models load() throws Exception {
            byte[] v1File =
                    Files.readAllBytes(TestBroker.repositoryFile("models/ETTh1-blur-96.json"));
            BlurModel v1 = ModelCodec.read(v1File);
            BlurParameters changed = v1.parameters().copy();
            for (String name : changed.names()) {
                float[] tensor = changed.get(name);
                for (int i = 0; i < tensor.length; i++) {
                    tensor[i] *= 1.1f;
                }
            }
            BlurModel v2 =
                    new BlurModel(
                            v1.modelId(),
                            2,
                            v1.createdAt(),
                            v1.config(),
                            v1.scaler(),
                            v1.metadata(),
                            changed);
            TimeSeriesTable table =
                    DatasetCatalog.lookup("ETTh1").read(DatasetCatalog.locateDataDirectory());
            return new Models(v1, v1File, v2, ModelCodec.toBytes(v2), table);
        }

        byte[] file(BlurModel model) {
            return ModelCodec.toBytes(model);
        }

        void assertEachMatchesItsVersion(List<Forecast> forecasts) {
            Forecaster one = new Forecaster(v1);
            Forecaster two = new Forecaster(v2);
            Forecaster.Workspace ws = one.newWorkspace(1);
            for (Forecast f : forecasts) {
                int last = ForecastJobTestBase.rowOf(table, f.issuedForMillis);
                ForecastJobTestBase.assertMatchesOffline(
                        f, table, last, f.modelVersion == 1 ? one : two, ws);
            }
        }
    }

    /**
     * The model versions of the forecasts in event-time order, runs collapsed: 1,1,2,2,1 → 1,2,1.
     */
    static List<Long> versionRuns(List<Forecast> forecasts) {
        List<Long> runs = new ArrayList<>();
        forecasts.stream()
                .sorted(Comparator.comparingLong(f -> f.issuedForMillis))
                .forEach(
                        f -> {
                            if (runs.isEmpty() || runs.get(runs.size() - 1) != f.modelVersion) {
                                runs.add(f.modelVersion);
                            }
                        });
        return runs;
    }

    static JobClient submit(TestBroker broker, boolean restartable) throws Exception {
        return submit(broker, restartable, 2, null);
    }

    /** The job at {@code parallelism}, restored from {@code savepoint} unless it is null. */
    static JobClient submit(
            TestBroker broker, boolean restartable, int parallelism, String savepoint)
            throws Exception {
        Configuration options = ForecastJobTestBase.jobOptions(broker);
        options.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        options.set(ForecastJobOptions.MAX_PENDING_WINDOWS, 10_000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(20));
        if (restartable) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(500));
        }
        env.configure(conf, HotSwapTestBase.class.getClassLoader());
        ForecastJob.fromConfiguration(options, false).addTo(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("hot swap test");
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    static ModelPublisher publisher(TestBroker broker, Path key) throws Exception {
        return new ModelPublisher(
                broker.bootstrapServers(),
                "models",
                UpdateKeys.signerFromFile(key),
                64 * 1024, // several chunks per model file
                Clock.systemUTC());
    }

    /**
     * Replays rows {@code [first, first + rows)} of ETTh1 as the seven sensors, as fast as can be.
     */
    static void replay(TestBroker broker, int first, int rows) throws Exception {
        SourceCatalog catalog = SourceCatalog.fromResource("catalogs/etth1.yaml");
        TimeSeriesTable table =
                DatasetCatalog.lookup("ETTh1").read(DatasetCatalog.locateDataDirectory());
        var plan =
                ReplayPlan.plan(
                        table,
                        ForecastJobTestBase.sensors(catalog),
                        first,
                        rows,
                        ReplayOptions.disordered(HOUR / 2, first));
        try (KafkaReplayer replayer = new KafkaReplayer(broker.bootstrapServers())) {
            replayer.send(plan, 0, n -> {});
        }
    }

    /** Ticks whose windows the replayed rows define, once all are in. */
    static List<Long> expectedTicks(TimeSeriesTable table) throws Exception {
        long watermark = table.timestampMillis(ROWS - 1) - HOUR - 1;
        long lateness =
                SourceCatalog.fromResource("catalogs/etth1.yaml")
                        .group("transformer-1")
                        .allowedLatenessMillis();
        List<Long> ticks = new ArrayList<>();
        for (int last = W - 1; last < ROWS; last++) {
            if (table.timestampMillis(last) + lateness <= watermark) {
                ticks.add(table.timestampMillis(last));
            }
        }
        return ticks;
    }

    static void awaitForecasts(TestBroker broker, int count) throws Exception {
        int[] seen = {0};
        try {
            Await.until(
                    count + " committed forecasts",
                    Duration.ofSeconds(90),
                    () ->
                            (seen[0] = ForecastJobTestBase.readAll(broker, "forecasts").size())
                                    >= count);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (" + seen[0] + " there)", e);
        }
    }

    static List<Forecast> awaitAllForecasts(TestBroker broker) throws Exception {
        TimeSeriesTable table =
                DatasetCatalog.lookup("ETTh1").read(DatasetCatalog.locateDataDirectory());
        int expected = expectedTicks(table).size();
        awaitForecasts(broker, expected);
        List<Forecast> forecasts = readForecasts(broker);
        assertThat(forecasts)
                .extracting(f -> f.issuedForMillis)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expectedTicks(table));
        return forecasts;
    }

    static List<Forecast> readForecasts(TestBroker broker) throws Exception {
        List<Forecast> forecasts = new ArrayList<>();
        for (byte[] value : ForecastJobTestBase.readAll(broker, "forecasts")) {
            forecasts.add(RecordJson.fromBytes(value, Forecast.class));
        }
        return forecasts;
    }

    /**
     * The online evaluations cover both versions, and each equals the MAE and MSE of its forecast
     * against the CSV rows of its horizon (every value observed in this replay).
     */
    static void assertEvaluationsMatch(
            TestBroker broker, List<Forecast> forecasts, TimeSeriesTable table) throws Exception {
        Await.until(
                "evaluations of the forecasts whose horizon has passed",
                Duration.ofSeconds(60),
                () -> ForecastJobTestBase.readAll(broker, "evaluations").size() > 200);
        Map<String, Forecast> byKey = new java.util.HashMap<>();
        for (Forecast f : forecasts) {
            byKey.put(f.issuedForMillis + "/" + f.modelVersion, f);
        }
        java.util.Set<Long> versions = new java.util.TreeSet<>();
        for (byte[] value : ForecastJobTestBase.readAll(broker, "evaluations")) {
            ForecastEvaluation e = RecordJson.fromBytes(value, ForecastEvaluation.class);
            Forecast f = byKey.get(e.issuedForMillis + "/" + e.modelVersion);
            assertThat(f).as("the forecast evaluated").isNotNull();
            versions.add(e.modelVersion);
            int first = ForecastJobTestBase.rowOf(table, e.issuedForMillis) + 1;
            double abs = 0;
            double sq = 0;
            for (int h = 0; h < f.horizon; h++) {
                for (int c = 0; c < 7; c++) {
                    double error = f.values[h * 7 + c] - (float) table.value(first + h, c);
                    abs += Math.abs(error);
                    sq += error * error;
                }
            }
            int n = f.horizon * 7;
            assertThat(e.observed).isEqualTo(n);
            assertThat(e.mae)
                    .isCloseTo(abs / n, org.assertj.core.data.Offset.offset(1e-6 * (1 + abs / n)));
            assertThat(e.mse)
                    .isCloseTo(sq / n, org.assertj.core.data.Offset.offset(1e-6 * (1 + sq / n)));
        }
        assertThat(versions).containsExactly(1L, 2L);
    }

    static List<ModelEvent> events(TestBroker broker) throws Exception {
        List<ModelEvent> events = new ArrayList<>();
        for (byte[] value : ForecastJobTestBase.readAll(broker, "model-events")) {
            events.add(RecordJson.fromBytes(value, ModelEvent.class));
        }
        return events;
    }

    static void awaitEvent(TestBroker broker, String kind, long version, ModelEvent.Outcome outcome)
            throws Exception {
        Await.until(
                kind + " v" + version + " " + outcome + " on the model-events topic",
                Duration.ofSeconds(60),
                () ->
                        events(broker).stream()
                                .anyMatch(
                                        e ->
                                                kind.equals(e.kind)
                                                        && e.version == version
                                                        && e.outcome == outcome));
    }
}
