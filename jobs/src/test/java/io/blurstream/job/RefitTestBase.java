package io.blurstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blurstream.local.DriftingFeeder;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.operators.record.Forecast;
import io.blurstream.operators.record.ForecastEvaluation;
import io.blurstream.operators.record.ModelEvent;
import io.blurstream.operators.record.RecordJson;
import io.blurstream.replay.KafkaReplayer;
import io.blurstream.replay.ReplayOptions;
import io.blurstream.replay.ReplayPlan;
import io.blurstream.replay.ReplaySensor;
import io.blurstream.training.blur.TrainingOptions;
import io.blurstream.training.data.TimeSeriesTable;
import io.blurstream.training.refit.RefitDecision;
import io.blurstream.training.refit.RefitService;
import io.blurstream.training.refit.RefitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refit loop end to end on a real broker and MiniCluster: a two-channel series whose daily
 * cycle turns into a six-hour one half-way is replayed into the job serving a model trained on the
 * first regime, with the refit service running beside it. After the change the service must publish
 * a better version, the job must swap it in, and the online error of the new version's forecasts
 * must be well below the old version's on the new regime. Subclasses choose the broker.
 */
abstract class RefitTestBase extends JobTestBase {

    static final long HOUR = 3_600_000;
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z
    static final int ROWS = 1400;
    static final int CHANGE = 600;
    static final int W = 48;

    /** Hourly rows: a daily cycle on both channels, a six-hour one from row {@link #CHANGE}. */
    static TimeSeriesTable regimeChange() {
        return DriftingFeeder.table(START, ROWS, CHANGE, 11);
    }

    static TrainingOptions training(int epochs) {
        return DriftingFeeder.training(epochs, 2);
    }

    /** v1: trained offline on the first regime only. */
    static BlurModel firstRegimeModel(TimeSeriesTable table) {
        return DriftingFeeder.trainModel("station", table, 0, CHANGE, W, 12, training(4));
    }

    @Test
    void afterTheRegimeChangesTheRefitServiceSwapsInAVersionWithALowerOnlineError(@TempDir Path dir)
            throws Exception {
        RefitSettings settings = RefitSettings.serving(600, 100_000, 0, 150, 150, 0.2, training(3));
        acrossTheChange(
                dir,
                settings,
                RefitDecision.SWAPPED,
                null,
                (broker, decisions, servingAtTheEnd) -> {
                    RefitDecision swapped = afterTheChange(decisions, RefitDecision.SWAPPED);
                    assertThat(servingAtTheEnd).isGreaterThanOrEqualTo(swapped.candidateVersion());
                    assertThat(swapped.candidateMse()).isLessThan(0.8 * swapped.championMse());
                    assertThat(
                                    decisions.stream()
                                            .map(RefitDecision::outcome)
                                            .filter(RefitDecision.PUBLISHED::equals)
                                            .count())
                            .isGreaterThanOrEqualTo(1);
                    // forecasts whose input window lies wholly in the new regime
                    long newRegime = START + (CHANGE + W - 1) * HOUR;
                    List<ForecastEvaluation> after =
                            evaluations(broker).stream()
                                    .filter(e -> e.issuedForMillis >= newRegime && e.observed > 0)
                                    .toList();
                    double oldError = meanMae(after, v -> v < swapped.candidateVersion());
                    double newError = meanMae(after, v -> v >= swapped.candidateVersion());
                    String history = history(broker, decisions);
                    System.out.println("refit history: " + history);
                    assertThat(
                                    after.stream()
                                            .filter(
                                                    e ->
                                                            e.modelVersion
                                                                    < swapped.candidateVersion()))
                            .as("evaluations of v1 on the new regime; %s", history)
                            .isNotEmpty();
                    assertThat(
                                    after.stream()
                                            .filter(
                                                    e ->
                                                            e.modelVersion
                                                                    >= swapped.candidateVersion()))
                            .as(
                                    "evaluations of v%d+ on the new regime; %s",
                                    swapped.candidateVersion(), history)
                            .isNotEmpty();
                    System.out.printf(
                            "refit: v%d swapped in after the change (held-out MSE %.4f vs %.4f);"
                                    + " online MAE on the new regime %.4f against %.4f before%n",
                            swapped.candidateVersion(),
                            swapped.candidateMse(),
                            swapped.championMse(),
                            newError,
                            oldError);
                    assertThat(newError)
                            .as(
                                    "online MAE of v%d+ against v1 on the new regime",
                                    swapped.candidateVersion())
                            .isLessThan(0.7 * oldError);
                });
    }

    @Test
    void aShadowRefitOnTheNewRegimeIsPromotedOnItsLiveError(@TempDir Path dir) throws Exception {
        RefitSettings settings =
                new RefitSettings(
                        600,
                        100_000,
                        0,
                        150,
                        150,
                        0.2,
                        training(3),
                        UpdateStage.SHADOW,
                        150,
                        Duration.ofMinutes(5));
        acrossTheChange(
                dir,
                settings,
                RefitDecision.SHADOWING,
                RefitDecision.PROMOTED,
                (broker, decisions, servingAtTheEnd) -> {
                    RefitDecision shadowing = afterTheChange(decisions, RefitDecision.SHADOWING);
                    long shadow = shadowing.candidateVersion();
                    RefitDecision promoted = afterTheChange(decisions, RefitDecision.PROMOTED);
                    assertThat(promoted.candidateVersion()).isEqualTo(shadow);
                    assertThat(decisions)
                            .noneMatch(d -> d.outcome().equals(RefitDecision.SWAPPED))
                            .noneMatch(d -> d.outcome().equals(RefitDecision.RETIRED));
                    assertThat(promoted.liveForecasts()).isGreaterThanOrEqualTo(150);
                    assertThat(promoted.shadowLiveMae())
                            .isLessThan(0.8 * promoted.servingLiveMae());
                    assertThat(servingAtTheEnd).isEqualTo(shadow);

                    // the trial's figures come from the evaluations topic: both versions scored
                    // on the same windows there, and the shadow's error is the lower one
                    List<ForecastEvaluation> all = evaluations(broker);
                    Map<Long, Double> servingMae = new HashMap<>();
                    Map<Long, Double> shadowMae = new HashMap<>();
                    for (ForecastEvaluation e : all) {
                        if (e.observed > 0 && e.modelVersion == promoted.basedOnVersion()) {
                            servingMae.put(e.issuedForMillis, e.mae);
                        } else if (e.observed > 0 && e.modelVersion == shadow) {
                            shadowMae.put(e.issuedForMillis, e.mae);
                        }
                    }
                    List<Long> paired =
                            servingMae.keySet().stream().filter(shadowMae::containsKey).toList();
                    assertThat(paired).hasSizeGreaterThanOrEqualTo(promoted.liveForecasts());
                    double servingError =
                            paired.stream().mapToDouble(servingMae::get).average().orElseThrow();
                    double shadowError =
                            paired.stream().mapToDouble(shadowMae::get).average().orElseThrow();
                    System.out.printf(
                            "shadow refit: v%d promoted after %d paired live forecasts (live MAE"
                                    + " %.4f against %.4f of v%d); over all %d paired windows %.4f"
                                    + " against %.4f%n",
                            shadow,
                            promoted.liveForecasts(),
                            promoted.shadowLiveMae(),
                            promoted.servingLiveMae(),
                            promoted.basedOnVersion(),
                            paired.size(),
                            shadowError,
                            servingError);
                    assertThat(shadowError).isLessThan(0.8 * servingError);
                    // the job's word: the promote message made the shadow the serving version
                    List<ModelEvent> promotions = new ArrayList<>();
                    for (byte[] value : ForecastJobTestBase.readAll(broker, "model-events")) {
                        ModelEvent event = RecordJson.fromBytes(value, ModelEvent.class);
                        if ("promote".equals(event.kind)) {
                            promotions.add(event);
                        }
                    }
                    assertThat(promotions).hasSize(1);
                    assertThat(promotions.get(0).outcome).isEqualTo(ModelEvent.Outcome.ACCEPTED);
                    assertThat(promotions.get(0).servingVersion).isEqualTo(shadow);
                    assertThat(promotions.get(0).previousVersion)
                            .isEqualTo(promoted.basedOnVersion());
                    assertThat(promotions.get(0).shadowVersion).isEqualTo(-1);
                });
    }

    /** What a scenario checks once the job and the service have stopped, the broker still up. */
    @FunctionalInterface
    interface Checks {
        void check(TestBroker broker, List<RefitDecision> decisions, long servingAtTheEnd)
                throws Exception;
    }

    /**
     * Replays the first 1000 rows to the job serving v1 with the refit service beside it, asks for
     * a refit once the service holds row 990 and waits for a decision {@code before} on the new
     * regime; replays the rest, waits for the decision {@code after} (if any) and for the
     * evaluations up to the end, and checks. A restarted service must then recover the version
     * serving at the end.
     */
    private void acrossTheChange(
            Path dir, RefitSettings settings, String before, String after, Checks checks)
            throws Exception {
        TimeSeriesTable table = regimeChange();
        BlurModel v1 = firstRegimeModel(table);
        Path catalogFile = dir.resolve("catalog.yaml");
        Files.writeString(
                catalogFile,
                """
                version: 1
                groups:
                  station:
                    step: 1h
                    channels: [load, temp]
                sensors:
                  station.load: {group: station, channel: load}
                  station.temp: {group: station, channel: temp}
                """);
        SourceCatalog catalog = SourceCatalog.locate(catalogFile.toString());
        List<ReplaySensor> sensors =
                ReplaySensor.ofGroup(catalog, "station", channel -> "sensors.load");
        try (TestBroker broker = startBroker()) {
            ForecastJobTestBase.createTopics(broker);
            broker.createTopics(Map.of("refit-log", 1));
            ForecastJobTestBase.publishModel(broker, ModelCodec.toBytes(v1));
            Configuration options = ForecastJobTestBase.jobOptions(broker);
            options.set(ForecastJobOptions.CATALOG, catalogFile.toString());
            options.set(ForecastJobOptions.WINDOW_SIZE, W);
            options.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            // The replay pauses while the model is refitted. Were both partitions of the readings
            // topic to go idle then, the one read first after the pause would set the watermark
            // alone and the other's readings would arrive late (docs/operations.md, "Late
            // readings after a pause"). Both carry readings, so they need not idle at all.
            options.set(ForecastJobOptions.READING_TOPICS, List.of("sensors.load"));
            options.set(ForecastJobOptions.IDLENESS, Duration.ofMinutes(10));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(20));
            env.configure(conf, getClass().getClassLoader());
            ForecastJob.fromConfiguration(options, false).addTo(env);
            JobClient job = env.executeAsync("refit test");

            List<RefitDecision> decisions = new CopyOnWriteArrayList<>();
            RefitService service = service(broker, v1, settings, decisions::add);
            Thread refit =
                    new Thread(
                            () -> {
                                try {
                                    service.run();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            "refit");
            try {
                refit.start();
                // the new regime starts at row 600: once the service holds row 990 (the watermark
                // holds the last hour or two back), its rolling set (rows ~390 to 990) trains on
                // both regimes and is judged on the new one
                replay(broker, table, sensors, 0, 1000);
                Await.until(
                        "the refit service holding row 990",
                        Duration.ofSeconds(90),
                        () -> service.newestRowMillis() >= START + 990 * HOUR);
                service.requestRefit();
                awaitDecision(decisions, before, Duration.ofSeconds(180));
                replay(broker, table, sensors, 1000, ROWS - 1000);
                if (after != null) {
                    awaitDecision(decisions, after, Duration.ofSeconds(120));
                }
                long lastDue = START + (ROWS - 1 - 12 - 2) * HOUR;
                try {
                    Await.until(
                            "evaluations up to the end of the replay",
                            Duration.ofSeconds(90),
                            () ->
                                    evaluations(broker).stream()
                                            .anyMatch(e -> e.issuedForMillis >= lastDue));
                } catch (AssertionError e) {
                    long newest =
                            evaluations(broker).stream()
                                    .mapToLong(x -> (x.issuedForMillis - START) / HOUR)
                                    .max()
                                    .orElse(-1);
                    throw new AssertionError(
                            e.getMessage()
                                    + "; newest evaluated row "
                                    + newest
                                    + ", forecasts "
                                    + ForecastJobTestBase.readAll(broker, "forecasts").size()
                                    + ", decisions "
                                    + decisions,
                            e);
                }
            } finally {
                service.stop();
                refit.join(120_000);
                service.close();
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            long servingAtTheEnd = service.servingVersion();
            // a restarted service finds the serving version in Kafka, not in its model file
            try (RefitService restarted = service(broker, v1, settings, decision -> {})) {
                restarted.recover();
                assertThat(restarted.servingVersion()).isEqualTo(servingAtTheEnd);
            }
            checks.check(broker, decisions, servingAtTheEnd);
        }
    }

    private static void awaitDecision(
            List<RefitDecision> decisions, String outcome, Duration timeout) throws Exception {
        try {
            Await.until(
                    "a refit on the new regime " + outcome,
                    timeout,
                    () -> afterTheChange(decisions, outcome) != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; decisions " + decisions, e);
        }
    }

    /**
     * The first decision {@code outcome} about a version trained on rows of the new regime (its
     * held-out rows lie in it), or null.
     */
    static RefitDecision afterTheChange(List<RefitDecision> decisions, String outcome) {
        long heldOutInNewRegime = START + (CHANGE + 300 + 60) * HOUR;
        return decisions.stream()
                .filter(d -> d.outcome().equals(outcome))
                .filter(d -> d.newestRowMillis() >= heldOutInNewRegime)
                .findFirst()
                .orElse(null);
    }

    /** A refit service of the station's model on the test topics, signing with the test key. */
    static RefitService service(
            TestBroker broker,
            BlurModel initial,
            RefitSettings settings,
            java.util.function.Consumer<RefitDecision> listener)
            throws Exception {
        return new RefitService(
                broker.bootstrapServers(),
                new RefitService.Topics(
                        "fused-rows", "models", "model-events", "evaluations", "refit-log"),
                "station",
                initial,
                UpdateKeys.signerFromFile(ForecastJobTestBase.modelKey()),
                settings,
                Clock.systemUTC(),
                listener);
    }

    static double meanMae(
            List<ForecastEvaluation> evaluations, java.util.function.LongPredicate version) {
        return evaluations.stream()
                .filter(e -> version.test(e.modelVersion))
                .mapToDouble(e -> e.mae)
                .average()
                .orElse(Double.NaN);
    }

    static void replay(
            TestBroker broker,
            TimeSeriesTable table,
            List<ReplaySensor> sensors,
            int first,
            int rows)
            throws Exception {
        try (KafkaReplayer replayer = new KafkaReplayer(broker.bootstrapServers())) {
            replayer.send(
                    ReplayPlan.plan(table, sensors, first, rows, ReplayOptions.CLEAN), 0, n -> {});
        }
    }

    /**
     * What the job wrote, for a failure message: per model version the rows its forecasts and
     * evaluations were issued for (and how many evaluations observed nothing), the model events and
     * the service's decisions.
     */
    static String history(TestBroker broker, List<RefitDecision> decisions) throws Exception {
        Map<Long, LongSummaryStatistics> forecasts = new TreeMap<>();
        for (byte[] value : ForecastJobTestBase.readAll(broker, "forecasts")) {
            Forecast f = RecordJson.fromBytes(value, Forecast.class);
            forecasts
                    .computeIfAbsent(f.modelVersion, v -> new LongSummaryStatistics())
                    .accept((f.issuedForMillis - START) / HOUR);
        }
        Map<Long, LongSummaryStatistics> scored = new TreeMap<>();
        Map<Long, LongSummaryStatistics> unobserved = new TreeMap<>();
        for (ForecastEvaluation e : evaluations(broker)) {
            (e.observed > 0 ? scored : unobserved)
                    .computeIfAbsent(e.modelVersion, v -> new LongSummaryStatistics())
                    .accept((e.issuedForMillis - START) / HOUR);
        }
        StringBuilder events = new StringBuilder();
        for (byte[] value : ForecastJobTestBase.readAll(broker, "model-events")) {
            ModelEvent event = RecordJson.fromBytes(value, ModelEvent.class);
            events.append(
                    String.format(
                            "%n  %s v%d %s: serving v%d, shadow v%d",
                            event.kind,
                            event.version,
                            event.outcome,
                            event.servingVersion,
                            event.shadowVersion));
        }
        return String.format(
                "rows of forecasts by version %s; of evaluations with observations %s, without"
                        + " %s; model events:%s%ndecisions %s",
                rows(forecasts), rows(scored), rows(unobserved), events, decisions);
    }

    private static String rows(Map<Long, LongSummaryStatistics> byVersion) {
        StringBuilder out = new StringBuilder("{");
        byVersion.forEach(
                (version, rows) ->
                        out.append(
                                String.format(
                                        " v%d: %d in %d..%d",
                                        version, rows.getCount(), rows.getMin(), rows.getMax())));
        return out.append(" }").toString();
    }

    static List<ForecastEvaluation> evaluations(TestBroker broker) throws Exception {
        List<ForecastEvaluation> out = new ArrayList<>();
        for (byte[] value : ForecastJobTestBase.readAll(broker, "evaluations")) {
            out.add(RecordJson.fromBytes(value, ForecastEvaluation.class));
        }
        return out;
    }
}
