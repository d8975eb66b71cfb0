package io.blurstream.cli.stream;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.local.DriftingFeeder;
import io.blurstream.local.LocalStack;
import io.blurstream.local.StackMonitor;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.replay.ReplayOptions;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.SplitBorders;
import io.blurstream.training.data.TimeSeriesTable;
import io.blurstream.training.refit.RefitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code blurstream demo}: the one-command local stack. */
public final class DemoCommand implements Command {

    static final String CATALOG = "demo/ett-transformers.yaml";
    public static final String MODEL = "models/ETTh1-blur-96.json";

    /** The simulated feeder: its group and model id, and where its pattern changes. */
    static final String FEEDER = "feeder-1";

    static final int FEEDER_CHANGE_ROW = 600;
    static final int FEEDER_HISTORY_ROWS = 1200;
    static final int FEEDER_HORIZON = 24;

    /** The {@code --json} summary. */
    public record Summary(
            long readings,
            long deadLetters,
            long deadLettersExpected,
            long lateReadings,
            long rows,
            long forecasts,
            long forecastsExpected,
            long duplicates,
            long latencyP50Ms,
            long latencyP99Ms,
            java.util.List<String> modelVersions,
            long swaps,
            long rejectedUpdates,
            java.util.Map<String, Double> onlineMae,
            java.util.Map<String, Long> refits,
            double seconds) {}

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Run the local stack: Kafka broker, forecast job, replay of bundled data, live"
                + " summary";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream demo [options]

        Starts everything on this machine, no Docker: a Kafka broker (a child
        JVM on loopback), the forecast job on a local Flink MiniCluster, and a
        replay of the test split of ETTh1 and ETTh2 as two transformers of seven
        sensors each, on two topics, out of order, with a few readings dropped,
        duplicated, late or broken. The shipped model models/ETTh1-blur-96.json
        (how to retrain it: models/README.md) goes to the model topic and serves
        both. A third group, a simulated feeder, has its own small model,
        trained when the demo starts on the feeder's history; its load pattern
        changes from a daily to a six-hour cycle 600 rows into the replay. The
        refit service runs beside the job: it fine-tunes the feeder's model on
        its newest rows and publishes a version that does better on rows it
        never trained on, which the job swaps in live. A live line shows
        readings/s, forecasts/s, dead letters, latency and the model versions
        serving, and each refit decision is printed; the summary gives the
        online error of every version. Ctrl-C stops everything. Without
        --duration the stack keeps running after the replay until Ctrl-C.

        Options:
          --duration S       stop after S seconds [run until Ctrl-C]
          --speedup X        event time runs X times faster than real time
                             [72000: 20 hours of readings per second]
          --rows N           rows replayed per transformer [the test split, 2976]
          --disorder-min M   readings arrive up to M minutes out of order [20]
          --drop P, --duplicate P, --late P, --malformed P
                             shares of readings dropped, sent twice, sent after
                             their tick closed, and of extra broken records
                             [0.002, 0.002, 0.002, 0.005]
          --model FILE       model to publish [models/ETTh1-blur-96.json]
          --parallelism N    [2]
          --data DIR         dataset folder [the repository's data/]
          --work-dir DIR     broker files [a new temporary folder]
          --refit-every N    the refit service beside the job refits the feeder's
                             model on its newest rows every N rows [300]
          --no-refit         run without the refit service
          --json             end with one JSON line: readings, deadLetters,
                             deadLettersExpected, lateReadings, rows, forecasts, forecastsExpected,
                             duplicates, latencyP50Ms, latencyP99Ms,
                             modelVersions, swaps, rejectedUpdates,
                             onlineMae (per version), refits (decisions
                             by outcome), seconds

        Logs of Flink and Kafka go to $TMPDIR/blurstream.log.

        Examples:
          blurstream demo
          blurstream demo --duration 60 --json
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(
                "duration",
                "speedup",
                "rows",
                "disorder-min",
                "drop",
                "duplicate",
                "late",
                "malformed",
                "model",
                "parallelism",
                "data",
                "work-dir",
                "no-refit",
                "refit-every",
                "json");
        args.checkPositionals(0);
        int duration = args.integer("duration", 0);
        double speedup = args.decimal("speedup", 72_000);
        Path home = Path.of(System.getProperty(DatasetCatalog.HOME_PROPERTY, "."));
        Path model = Path.of(args.string("model", home.resolve(MODEL).toString()));
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model: no model file at " + model);
        }
        String data = args.string("data", null);
        Path dataDir = DatasetCatalog.locateDataDirectory(data == null ? null : Path.of(data));
        Map<String, TimeSeriesTable> groups = new LinkedHashMap<>();
        groups.put("transformer-1", DatasetCatalog.lookup("ETTh1").read(dataDir));
        groups.put("transformer-2", DatasetCatalog.lookup("ETTh2").read(dataDir));
        TimeSeriesTable first = groups.get("transformer-1");
        SplitBorders borders = DatasetCatalog.lookup("ETTh1").borders(first.rows());
        int window = 96;
        int firstRow = borders.validationEnd() - window;
        int rows = args.integer("rows", borders.testEnd() - firstRow);
        if (rows < window || firstRow + rows > first.rows()) {
            throw new IllegalArgumentException(
                    "--rows must be between " + window + " and " + (first.rows() - firstRow));
        }
        // the feeder runs on the transformers' clock, so one replay plan covers all three
        TimeSeriesTable feeder =
                DriftingFeeder.table(
                        first.timestampMillis(0), first.rows(), firstRow + FEEDER_CHANGE_ROW, 7);
        groups.put(FEEDER, feeder);
        long disorder = Duration.ofMinutes(args.integer("disorder-min", 20)).toMillis();
        ReplayOptions replay =
                new ReplayOptions(
                        disorder,
                        0.5,
                        args.decimal("late", 0.002),
                        Duration.ofHours(12).toMillis(),
                        args.decimal("drop", 0.002),
                        args.decimal("duplicate", 0.002),
                        args.decimal("malformed", 0.005),
                        42);
        String workDir = args.string("work-dir", null);
        Path work =
                workDir == null
                        ? Files.createTempDirectory("blurstream-demo")
                        : Files.createDirectories(Path.of(workDir));
        console.info("training the feeder's first model on its history...");
        BlurModel feederModel =
                DriftingFeeder.trainModel(
                        FEEDER,
                        feeder,
                        firstRow - FEEDER_HISTORY_ROWS,
                        FEEDER_HISTORY_ROWS,
                        window,
                        FEEDER_HORIZON,
                        DriftingFeeder.training(4, 1));
        LocalStack.Settings settings =
                new LocalStack.Settings(
                        work,
                        List.of(ModelCodec.read(model), feederModel),
                        CATALOG,
                        groups,
                        firstRow,
                        rows,
                        speedup,
                        replay,
                        Duration.ofMillis(disorder).plusMinutes(10),
                        args.integer("parallelism", 2),
                        args.flag("no-refit") ? null : FEEDER,
                        refitSettings(args.integer("refit-every", 300)));
        long start = System.nanoTime();
        console.info("starting a Kafka broker and the forecast job (MiniCluster)...");
        // Ctrl-C starts the JVM's shutdown: the hook interrupts the loop below and holds the
        // shutdown until the summary is printed and the job and broker are stopped.
        Thread main = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper =
                new Thread(
                        () -> {
                            main.interrupt();
                            try {
                                finished.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "blurstream-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try (LocalStack stack = LocalStack.start(settings)) {
            console.info(
                    "broker at "
                            + stack.bootstrapServers()
                            + "; replaying "
                            + rows
                            + " rows of ETTh1, ETTh2 and the feeder as 16 sensors");
            stack.startReplay();
            StackMonitor.Snapshot last = stack.snapshot();
            long lastForecasts = 0;
            long lastSent = 0;
            String lastRefit = "";
            boolean announced = false;
            try {
                while (true) {
                    Thread.sleep(1000);
                    stack.checkJob();
                    StackMonitor.Snapshot now = stack.snapshot();
                    long sent = stack.recordsSent();
                    console.status(
                            String.format(
                                    "%4.0fs  sent %,d (%,d/s)  forecasts %,d (%,d/s)  dead letters"
                                            + " %,d  late %,d  p50 %d ms  p99 %d ms  %s",
                                    seconds(start),
                                    sent,
                                    sent - lastSent,
                                    now.forecasts(),
                                    now.forecasts() - lastForecasts,
                                    now.deadLetters(),
                                    now.lateReadings(),
                                    now.latencyP50Ms(),
                                    now.latencyP99Ms(),
                                    now.modelVersions()));
                    if (!now.lastRefit().equals(lastRefit)) {
                        lastRefit = now.lastRefit();
                        console.clearStatus();
                        console.info("refit: " + lastRefit);
                    }
                    lastSent = sent;
                    lastForecasts = now.forecasts();
                    last = now;
                    if (duration > 0 && seconds(start) >= duration) {
                        break;
                    }
                    if (!announced && stack.drained(now)) {
                        console.clearStatus();
                        console.info(
                                "replay done: "
                                        + now.forecasts()
                                        + " forecasts for "
                                        + stack.forecastsExpected()
                                        + " windows"
                                        + (duration > 0
                                                ? ""
                                                : "; the stack keeps running, Ctrl-C stops it"));
                        announced = true;
                        if (duration > 0) {
                            break;
                        }
                    }
                }
            } catch (InterruptedException stop) {
                // Ctrl-C: fall through to the summary and close everything
            }
            console.clearStatus();
            Summary summary =
                    new Summary(
                            stack.readingsSent(),
                            last.deadLetters(),
                            stack.deadLettersExpected(),
                            last.lateReadings(),
                            last.rows(),
                            last.forecasts(),
                            stack.forecastsExpected(),
                            last.duplicates(),
                            last.latencyP50Ms(),
                            last.latencyP99Ms(),
                            last.modelVersions(),
                            last.swaps(),
                            last.rejectedUpdates(),
                            last.onlineMae(),
                            last.refits(),
                            Math.round(seconds(start) * 10) / 10.0);
            print(summary, console);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and returns now that we are done
            }
        }
        return Blurstream.EXIT_OK;
    }

    /**
     * The demo's refit of the feeder's model: small enough to run beside the job on two cores (one
     * training thread, three epochs over the newest 800 rows less the newest 300), judged on the
     * newest 150, which it must forecast 10% better than the serving version.
     */
    private static RefitSettings refitSettings(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("--refit-every must be ≥ 1");
        }
        return RefitSettings.serving(800, every, 0, 150, 150, 0.1, DriftingFeeder.training(3, 1));
    }

    private static void print(Summary s, Console console) {
        if (console.json()) {
            console.printJson(s);
            return;
        }
        console.println(String.format("readings         %,d", s.readings()));
        console.println(
                String.format(
                        "dead letters     %,d of %,d broken records sent",
                        s.deadLetters(), s.deadLettersExpected()));
        console.println(String.format("late readings    %,d", s.lateReadings()));
        console.println(String.format("fused rows       %,d", s.rows()));
        console.println(
                String.format(
                        "forecasts        %,d of %,d expected, %d duplicates",
                        s.forecasts(), s.forecastsExpected(), s.duplicates()));
        console.println(
                String.format(
                        "latency          p50 %d ms, p99 %d ms",
                        s.latencyP50Ms(), s.latencyP99Ms()));
        console.println("model versions   " + String.join(", ", s.modelVersions()));
        console.println(
                String.format(
                        "swaps            %d (rejected updates %d)",
                        s.swaps(), s.rejectedUpdates()));
        s.onlineMae()
                .forEach(
                        (version, mae) ->
                                console.println(
                                        String.format("online MAE       %s: %.3f", version, mae)));
        console.println("refit decisions  " + (s.refits().isEmpty() ? "none" : s.refits()));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
