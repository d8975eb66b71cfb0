package io.blurstream.local;

import io.blurstream.job.ForecastJob;
import io.blurstream.job.ForecastJobOptions;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.model.update.UpdateMessages;
import io.blurstream.model.update.UpdateStage;
import io.blurstream.operators.catalog.GroupSpec;
import io.blurstream.operators.catalog.SourceCatalog;
import io.blurstream.replay.FleetReplay;
import io.blurstream.replay.KafkaReplayer;
import io.blurstream.replay.ReplayOptions;
import io.blurstream.replay.ReplayRecord;
import io.blurstream.training.data.TimeSeriesTable;
import io.blurstream.training.refit.ModelPublisher;
import io.blurstream.training.refit.RefitService;
import io.blurstream.training.refit.RefitSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole system on one machine: a real Kafka broker in a child JVM, the forecast job on a local
 * MiniCluster, a model published to the model topic, a replay of bundled datasets as live sensor
 * streams, and a monitor reading the job's output topics as a consumer would.
 */
public final class LocalStack implements AutoCloseable {

    public static final String LOAD_TOPIC = "sensors.load";
    public static final String TEMPERATURE_TOPIC = "sensors.temperature";
    public static final String MODEL_TOPIC = "models";
    public static final String MODEL_EVENT_TOPIC = "model-events";
    public static final String EVALUATION_TOPIC = "evaluations";
    public static final String FORECAST_TOPIC = "forecasts";
    public static final String DEAD_LETTER_TOPIC = "dead-letters";
    public static final String LATE_TOPIC = "late-readings";
    public static final String ROW_TOPIC = "fused-rows";
    public static final String REFIT_LOG_TOPIC = "refit-log";

    /**
     * What to run.
     *
     * @param models published to the model topic in this order: the first serves the groups the
     *     catalog does not pin to a model id
     * @param groups catalog group → the dataset table it replays
     * @param firstRow first replayed row of every table
     * @param rows rows replayed per table
     * @param speedup event time runs this many times faster than wall-clock time (0: unpaced)
     * @param outOfOrderness the job's watermark bound; must cover the replay's disorder
     * @param refitGroup the group the refit service learns from, or null for no refit service; it
     *     refits the model that serves the group
     * @param refit what the refit service does and when (ignored without {@code refitGroup})
     */
    public record Settings(
            Path workDirectory,
            List<BlurModel> models,
            String catalogResource,
            Map<String, TimeSeriesTable> groups,
            int firstRow,
            int rows,
            double speedup,
            ReplayOptions replay,
            Duration outOfOrderness,
            int parallelism,
            String refitGroup,
            RefitSettings refit) {}

    private final Settings settings;
    private final SourceCatalog catalog;
    private final LocalKafkaBroker broker;
    private final StackMonitor monitor;
    private final Thread monitorThread;
    private final AtomicLong readingsSent = new AtomicLong();
    private volatile boolean replayDone;
    private volatile Exception replayFailure;
    private JobClient job;
    private Thread replayThread;
    private int[] readingsPrefix = {0};
    private long forecastsExpected;
    private long deadLettersExpected;
    private RefitService refitService;
    private Thread refitThread;
    private volatile Exception refitFailure;

    private LocalStack(Settings settings, SourceCatalog catalog, LocalKafkaBroker broker) {
        this.settings = settings;
        this.catalog = catalog;
        this.broker = broker;
        this.monitor =
                new StackMonitor(
                        broker.bootstrapServers(),
                        FORECAST_TOPIC,
                        DEAD_LETTER_TOPIC,
                        LATE_TOPIC,
                        ROW_TOPIC,
                        MODEL_EVENT_TOPIC,
                        EVALUATION_TOPIC,
                        REFIT_LOG_TOPIC);
        this.monitorThread = new Thread(monitor, "blurstream-demo-monitor");
        monitorThread.setDaemon(true);
    }

    /** Starts the broker, creates the topics, publishes the model and submits the job. */
    public static LocalStack start(Settings settings) throws Exception {
        SourceCatalog catalog = SourceCatalog.fromResource(settings.catalogResource());
        LocalKafkaBroker broker = LocalKafkaBroker.start(settings.workDirectory().resolve("kafka"));
        LocalStack stack = new LocalStack(settings, catalog, broker);
        try {
            Map<String, Integer> topics = new LinkedHashMap<>();
            topics.put(LOAD_TOPIC, 2);
            topics.put(TEMPERATURE_TOPIC, 1);
            topics.put(MODEL_TOPIC, 1);
            topics.put(MODEL_EVENT_TOPIC, 1);
            topics.put(EVALUATION_TOPIC, 1);
            topics.put(REFIT_LOG_TOPIC, 1);
            topics.put(FORECAST_TOPIC, 2);
            topics.put(DEAD_LETTER_TOPIC, 1);
            topics.put(LATE_TOPIC, 1);
            topics.put(ROW_TOPIC, 2);
            broker.createTopics(topics);
            stack.publishModel();
            stack.submitJob();
            stack.monitorThread.start();
            stack.startRefit();
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** The HMAC secret the stack signs model updates with, made fresh in the work folder. */
    private Path modelKey() {
        return settings.workDirectory().resolve("model.key");
    }

    private void publishModel() throws Exception {
        UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), modelKey());
        try (ModelPublisher publisher =
                new ModelPublisher(
                        broker.bootstrapServers(),
                        MODEL_TOPIC,
                        UpdateKeys.signerFromFile(modelKey()),
                        UpdateMessages.DEFAULT_CHUNK_BYTES,
                        Clock.systemUTC())) {
            for (BlurModel model : settings.models()) {
                publisher.publishModel(
                        ModelCodec.toBytes(model),
                        UpdateStage.SERVE,
                        Map.of(),
                        Duration.ofSeconds(30));
            }
        }
    }

    private void submitJob() throws Exception {
        Configuration options = new Configuration();
        options.set(ForecastJobOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        options.set(ForecastJobOptions.CATALOG, "classpath:" + settings.catalogResource());
        options.set(ForecastJobOptions.MODEL_KEY_FILE, modelKey().toString());
        options.set(ForecastJobOptions.READING_TOPICS, List.of(LOAD_TOPIC, TEMPERATURE_TOPIC));
        options.set(ForecastJobOptions.OUT_OF_ORDERNESS, settings.outOfOrderness());
        options.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
        ForecastJob forecastJob = ForecastJob.fromConfiguration(options, false);
        forecastJob.checkTopicsExist(Duration.ofSeconds(30));
        Configuration cluster = new Configuration();
        // A replay compresses hours into seconds: at the default interval of 200 ms the watermark
        // would move in steps of many event-time hours.
        cluster.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(20));
        // a forecast is one small record: flush network buffers quickly rather than fill them
        cluster.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(5));
        // checkpoints to files: the JobManager's memory takes at most 5 MB of state per task
        cluster.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                settings.workDirectory().resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), cluster);
        forecastJob.addTo(env);
        job = env.executeAsync("Blurstream forecast (local stack)");
        // replay into a running job, so start-up time does not count as forecast latency
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get(10, TimeUnit.SECONDS)
                        != org.apache.flink.api.common.JobStatus.RUNNING
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Plans the replay of every group and starts sending it on its own thread. */
    public void startReplay() {
        FleetReplay fleet =
                FleetReplay.plan(
                        catalog,
                        settings.groups(),
                        settings.firstRow(),
                        settings.rows(),
                        settings.replay(),
                        channel ->
                                channel.equals("OT") || channel.equals("temp")
                                        ? TEMPERATURE_TOPIC
                                        : LOAD_TOPIC);
        List<ReplayRecord> merged = fleet.records();
        long expected = 0;
        for (Map.Entry<String, TimeSeriesTable> group : settings.groups().entrySet()) {
            expected += expectedForecasts(catalog.group(group.getKey()), group.getValue());
        }
        forecastsExpected = expected;
        readingsPrefix = new int[merged.size() + 1];
        long broken = 0;
        for (int r = 0; r < merged.size(); r++) {
            boolean reading = merged.get(r).kind() != ReplayRecord.Kind.MALFORMED;
            readingsPrefix[r + 1] = readingsPrefix[r] + (reading ? 1 : 0);
            broken += reading ? 0 : 1;
        }
        deadLettersExpected = broken;
        replayThread =
                new Thread(
                        () -> {
                            try (KafkaReplayer replayer =
                                    new KafkaReplayer(broker.bootstrapServers())) {
                                replayer.send(merged, settings.speedup(), readingsSent::set);
                            } catch (Exception e) {
                                replayFailure = e;
                            } finally {
                                replayDone = true;
                            }
                        },
                        "blurstream-demo-replay");
        replayThread.setDaemon(true);
        replayThread.start();
    }

    /**
     * Windows the replayed rows define whose tick the watermark must pass once every row is in: a
     * tick is released when the watermark ({@code newest event time - out-of-orderness - 1 ms})
     * reaches it plus the group's allowed lateness, so the newest ticks wait for data that a live
     * stream would bring next.
     */
    private long expectedForecasts(GroupSpec group, TimeSeriesTable table) {
        return windowsReleased(
                group,
                table,
                settings.firstRow(),
                settings.rows(),
                ForecastJobOptions.WINDOW_SIZE.defaultValue(),
                settings.outOfOrderness());
    }

    /**
     * Windows of {@code window} rows that the job releases once rows {@code [firstRow, firstRow +
     * rows)} of {@code table} have all arrived: those whose last tick the watermark ({@code newest
     * event time - outOfOrderness - 1 ms}) has passed by the group's allowed lateness.
     */
    public static long windowsReleased(
            GroupSpec group,
            TimeSeriesTable table,
            int firstRow,
            int rows,
            int window,
            Duration outOfOrderness) {
        long newest = table.timestampMillis(firstRow + rows - 1);
        long watermark = newest - outOfOrderness.toMillis() - 1;
        long count = 0;
        for (int k = window - 1; k < rows; k++) {
            if (table.timestampMillis(firstRow + k) + group.allowedLatenessMillis() <= watermark) {
                count++;
            }
        }
        return count;
    }

    public StackMonitor.Snapshot snapshot() {
        return monitor.snapshot();
    }

    /** Records sent so far (readings, duplicates and broken records). */
    public long recordsSent() {
        return readingsSent.get();
    }

    /** Readings sent so far (duplicates included, broken records not). */
    public long readingsSent() {
        return readingsPrefix[(int) Math.min(readingsSent.get(), readingsPrefix.length - 1)];
    }

    public long forecastsExpected() {
        return forecastsExpected;
    }

    /** Broken records the replay sends; each must come back as one dead letter. */
    public long deadLettersExpected() {
        return deadLettersExpected;
    }

    /**
     * Whether everything the replay sent has come out: every expected forecast and a dead letter
     * for every broken record. The job's sinks commit separately, so forecasts alone may be
     * complete while the dead letters of the same checkpoint are still being read.
     */
    public boolean drained(StackMonitor.Snapshot seen) {
        return replayDone()
                && seen.forecasts() >= forecastsExpected
                && seen.deadLetters() >= deadLettersExpected;
    }

    /** Whether the replay has sent everything; rethrows its failure. */
    public boolean replayDone() {
        if (replayFailure != null) {
            throw new IllegalStateException(
                    "the replay failed: " + replayFailure.getMessage(), replayFailure);
        }
        return replayDone;
    }

    /** Starts the refit service beside the job, if the settings name a group. */
    private void startRefit() throws Exception {
        if (settings.refitGroup() == null) {
            return;
        }
        refitService =
                new RefitService(
                        broker.bootstrapServers(),
                        new RefitService.Topics(
                                ROW_TOPIC,
                                MODEL_TOPIC,
                                MODEL_EVENT_TOPIC,
                                EVALUATION_TOPIC,
                                REFIT_LOG_TOPIC),
                        settings.refitGroup(),
                        servingModel(settings.refitGroup()),
                        UpdateKeys.signerFromFile(modelKey()),
                        settings.refit(),
                        Clock.systemUTC(),
                        decision -> {});
        refitThread =
                new Thread(
                        () -> {
                            try {
                                refitService.run();
                            } catch (Exception e) {
                                refitFailure = e;
                            }
                        },
                        "blurstream-demo-refit");
        refitThread.setDaemon(true);
        refitThread.start();
    }

    /** The model published for {@code group}: the one the catalog pins it to, or the first. */
    private BlurModel servingModel(String group) {
        String pinned = catalog.group(group).pinnedModelId();
        return settings.models().stream()
                .filter(model -> pinned == null || model.modelId().equals(pinned))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no model "
                                                + pinned
                                                + " among those published for group "
                                                + group));
    }

    /** Fails if the job is no longer running. */
    public void checkJob() throws Exception {
        if (refitFailure != null) {
            throw new IllegalStateException(
                    "the refit service stopped: " + rootMessage(refitFailure), refitFailure);
        }
        var status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(
                        "the forecast job stopped: " + rootMessage(e), e.getCause());
            }
            throw new IllegalStateException("the forecast job stopped: " + status);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Cancels the job and stops the replay, the monitor and the broker. */
    @Override
    public void close() {
        if (replayThread != null) {
            replayThread.interrupt();
        }
        if (refitService != null) {
            refitService.stop();
            try {
                refitThread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refitService.close();
        }
        monitor.stop();
        if (job != null) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already finished or failed: nothing to cancel
            }
        }
        broker.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
