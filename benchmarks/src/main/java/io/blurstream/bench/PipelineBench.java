package io.blurstream.bench;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Console;
import io.blurstream.cli.Table;
import io.blurstream.job.ForecastJob;
import io.blurstream.job.ForecastJobOptions;
import io.blurstream.local.LocalKafkaBroker;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Forecaster;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.Scaler;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.update.UpdateKeys;
import io.blurstream.replay.ReplayPlan;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code blurstream bench pipeline}: the forecast job end to end on the local stack (child-JVM
 * Kafka broker, MiniCluster), on synthetic groups of seven sensors with a randomly initialised
 * model of the benchmark shape (W = 96, H = N = 64, L = 2, horizon 96).
 *
 * <ol>
 *   <li><b>warm-up</b> (reported, not judged): both workloads below, shorter, so the measured
 *       phases see compiled code;
 *   <li><b>ingest</b>: readings preloaded into Kafka, the job reads them as fast as it can and
 *       forecasts every {@code --slide-ingest} ticks; readings/s from the fused rows it writes.
 *   <li><b>forecast</b>: the same with a forecast every tick; forecasts/s against the forecaster
 *       alone on the same model (one thread, and one per job slot).
 *   <li><b>latency</b>: readings paced at half the ingest rate measured, forecasting every tick;
 *       the latency of each forecast from its window's tick closing (the row leaving alignment) to
 *       the forecast sink handing it to Kafka, as the job stamps it on the forecast. The forecasts
 *       are read once the phase is over, so no reader shares the job's cores while it is measured
 *       ({@link ForecastReader}). Percentiles leave out the first tenth of the forecasts (the job's
 *       start-up); the maximum covers them all.
 * </ol>
 *
 * Rates are taken between 10% and 90% of the output, so start-up and the drain at the end do not
 * count. The sinks are exactly once: a forecast becomes visible to {@code read_committed} consumers
 * at the next checkpoint, which adds up to one checkpoint interval to what a consumer sees; the
 * latency here is the job's own.
 */
final class PipelineBench {

    static final List<String> OPTIONS =
            List.of(
                    "groups",
                    "ticks",
                    "slide-ingest",
                    "parallelism",
                    "latency-seconds",
                    "latency-rate",
                    "phases",
                    "checkpoint-seconds",
                    "no-evaluation",
                    "json");

    static final List<String> PHASES = List.of("warmup", "ingest", "forecast", "latency");

    private static final int CHANNELS = 7;

    /**
     * Threads below this share of a core get no entry of their own in the thread lines (the CPU
     * line sums them up).
     */
    private static final double THREAD_LINE_MIN_CORES = 0.02;

    /** Ticks per group of each warm-up run. */
    private static final int WARMUP_TICKS = 500;

    /** Warm-up repeats until a round's JIT compiling time per second is at most this. */
    private static final double SETTLED_JIT = 0.5;

    private static final int MAX_WARMUP_ROUNDS = 4;

    private static final int WINDOW = 96;
    private static final long STEP = 60_000;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** One measured phase. */
    record Phase(
            String phase,
            int groups,
            int slide,
            long readings,
            long forecasts,
            double readingsPerSec,
            double forecastsPerSec,
            long latencyP50Ms,
            long latencyP99Ms,
            long latencyMaxMs,
            double jobCores,
            double brokerCores,
            double jitCores,
            List<ThreadCpu.Share> threadCores,
            List<ThreadCpu.Wait> threadWaits) {

        /**
         * This phase without the threads that used less than {@link #JSON_MIN_CORES} and waited
         * less: a JVM has a few hundred threads, most of them asleep, which made the JSON line over
         * 100 KB. The {@code "all threads"} sum of the waits stays, counting them all.
         */
        Phase withoutIdleThreads() {
            return new Phase(
                    phase,
                    groups,
                    slide,
                    readings,
                    forecasts,
                    readingsPerSec,
                    forecastsPerSec,
                    latencyP50Ms,
                    latencyP99Ms,
                    latencyMaxMs,
                    jobCores,
                    brokerCores,
                    jitCores,
                    threadCores.stream().filter(s -> s.cores() >= JSON_MIN_CORES).toList(),
                    threadWaits.stream()
                            .filter(
                                    w ->
                                            w.running() >= JSON_MIN_CORES
                                                    || w.waiting() >= JSON_MIN_CORES)
                            .toList());
        }
    }

    /** Threads below this many cores (running, and waiting) are left out of the JSON line. */
    static final double JSON_MIN_CORES = 0.001;

    /** The {@code --json} line. */
    record Result(
            int parallelism,
            double kernelForecastsPerSec,
            double kernelForecastsPerSecAllSlots,
            double kernelForecastsPerSecAllSlotsAfter,
            Double kernelForecastsPerSecBeforeForecast,
            Double kernelForecastsPerSecAfterForecast,
            Double forecastShareOfKernel,
            List<Phase> phases) {}

    /** Whether the job scores its forecasts (online evaluation); {@code --no-evaluation}. */
    private static boolean evaluation = true;

    /** {@code --checkpoint-seconds}; the job's own default unless given. */
    private static Duration checkpointInterval =
            ForecastJobOptions.CHECKPOINT_INTERVAL.defaultValue();

    private PipelineBench() {}

    static int run(Arguments args, Console console) throws Exception {
        args.checkOptions(OPTIONS);
        args.checkPositionals(1);
        int groups = args.integer("groups", 200);
        int ticks = args.integer("ticks", 1500);
        int slideIngest = args.integer("slide-ingest", 24);
        int parallelism = args.integer("parallelism", 2);
        int latencySeconds = args.integer("latency-seconds", 40);
        double latencyRate = args.decimal("latency-rate", 0);
        List<String> phaseNames = args.stringList("phases", PHASES);
        for (String phase : phaseNames) {
            if (!PHASES.contains(phase)) {
                throw new IllegalArgumentException(
                        "unknown phase '" + phase + "' in --phases; available: " + PHASES);
            }
        }
        if (phaseNames.contains("latency")
                && latencyRate <= 0
                && !(phaseNames.contains("ingest") && phaseNames.contains("forecast"))) {
            throw new IllegalArgumentException(
                    "the latency phase paces readings at half the rate the ingest and forecast"
                        + " phases measure; without them, give --latency-rate READINGS_PER_SEC");
        }
        evaluation = !args.flag("no-evaluation");
        if (args.has("checkpoint-seconds")) {
            double seconds = args.decimal("checkpoint-seconds", 0);
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--checkpoint-seconds must be > 0");
            }
            checkpointInterval = Duration.ofMillis(Math.round(seconds * 1000));
        }
        if (groups < 1 || ticks <= WINDOW || slideIngest < 1 || parallelism < 1) {
            throw new IllegalArgumentException(
                    "--groups ≥ 1, --ticks > "
                            + WINDOW
                            + ", --slide-ingest ≥ 1, --parallelism ≥ 1");
        }
        Path work = Files.createTempDirectory("blurstream-bench-pipeline");
        BlurModel model = model();
        Path modelFile = work.resolve("model.json");
        ModelCodec.write(model, modelFile);
        Path catalog = work.resolve("catalog.yaml");
        Files.writeString(catalog, catalogYaml(groups));

        double kernelOne = kernelForecastsPerSec(model, 1);
        double kernelAll = kernelForecastsPerSec(model, parallelism);
        console.info(
                String.format(
                        "forecaster alone: %.0f forecasts/s on 1 thread, %.0f on %d",
                        kernelOne, kernelAll, parallelism));
        List<Phase> phases = new ArrayList<>();
        Phase ingest = null;
        Phase forecast = null;
        Double kernelBeforeForecast = null;
        Double kernelAfterForecast = null;
        double kernelAllAfter;
        // the broker compiles fully, as in production: it shares the two cores with the job
        try (LocalKafkaBroker broker =
                        LocalKafkaBroker.start(
                                work.resolve("kafka"), LocalKafkaBroker.Compiler.OPTIMIZING);
                SessionCluster cluster =
                        SessionCluster.start(
                                parallelism, jobConfiguration(work.resolve("checkpoints")))) {
            console.info("broker at " + broker.bootstrapServers());
            int forecastGroups = Math.max(1, groups / 4);
            if (phaseNames.contains("warmup")) {
                // Not a measurement: both workloads, shorter, so the JIT compilers have compiled
                // the job's code paths (in both JVMs) before the measured phases. On two cores the
                // compilers otherwise take a quarter of the machine or more for minutes (each job
                // start brings its Kafka clients' start-up code, the hot paths compile at 50 KB of
                // machine code each), and the figures would describe a job's first minutes, not
                // its steady state. So the rounds repeat until the compilers have settled.
                for (int round = 1; ; round++) {
                    String suffix = round == 1 ? "" : "-" + round;
                    Phase warmIngest =
                            throughput(
                                    cluster,
                                    broker,
                                    "warmup-ingest" + suffix,
                                    catalog,
                                    modelFile,
                                    groups,
                                    WARMUP_TICKS,
                                    slideIngest,
                                    parallelism,
                                    console);
                    Phase warmForecast =
                            throughput(
                                    cluster,
                                    broker,
                                    "warmup-forecast" + suffix,
                                    catalog,
                                    modelFile,
                                    forecastGroups,
                                    WARMUP_TICKS,
                                    1,
                                    parallelism,
                                    console);
                    phases.add(warmIngest);
                    phases.add(warmForecast);
                    double jit = Math.max(warmIngest.jitCores(), warmForecast.jitCores());
                    if (jit <= SETTLED_JIT || round == MAX_WARMUP_ROUNDS) {
                        break;
                    }
                    console.info(
                            String.format(
                                    "warm-up round %d: the JIT compilers still busy %.2f of a"
                                            + " second per second; another round",
                                    round, jit));
                }
            }
            if (phaseNames.contains("ingest")) {
                ingest =
                        throughput(
                                cluster,
                                broker,
                                "ingest",
                                catalog,
                                modelFile,
                                groups,
                                ticks,
                                slideIngest,
                                parallelism,
                                console);
                phases.add(ingest);
            }
            if (phaseNames.contains("forecast")) {
                // The share is against the forecaster alone just before and just after the phase,
                // in this JVM, the broker up and no job running: on a shared host the same code
                // ran 10-15% slower or faster within minutes (docs/benchmarks.md, fifteenth
                // session), so a figure from the JVM's start would judge the job by another
                // machine's speed.
                kernelBeforeForecast = kernelForecastsPerSec(model, parallelism);
                forecast =
                        throughput(
                                cluster,
                                broker,
                                "forecast",
                                catalog,
                                modelFile,
                                forecastGroups,
                                Math.min(ticks, 600),
                                1,
                                parallelism,
                                console);
                phases.add(forecast);
                kernelAfterForecast = kernelForecastsPerSec(model, parallelism);
            }
            if (phaseNames.contains("latency")) {
                double rate =
                        latencyRate > 0
                                ? latencyRate
                                : Math.min(ingest.readingsPerSec(), forecast.readingsPerSec()) / 2;
                phases.add(
                        latency(
                                cluster,
                                broker,
                                catalog,
                                modelFile,
                                forecastGroups,
                                rate,
                                latencySeconds,
                                parallelism,
                                console));
            }
            // Again after the phases, in the same JVM and with the broker still up: had the job's
            // calls made the JIT recompile the kernels into slower code, the share would be
            // against a forecaster the job never had, and this figure would say so. (Measured once
            // the broker is gone, it would be 15-20% lower: some Kafka admin clients the jobs
            // leave behind then spend a quarter of a core reconnecting.)
            kernelAllAfter = kernelForecastsPerSec(model, parallelism);
        } finally {
            // The broker's log (over a gigabyte after a full run) and the checkpoints go once both
            // are closed; the model, the catalog and the latency phase's CSVs stay to be looked at.
            WorkFiles.deleteTree(work.resolve("kafka"));
            WorkFiles.deleteTree(work.resolve("checkpoints"));
        }
        Double share =
                forecast == null
                        ? null
                        : forecast.forecastsPerSec()
                                / ((kernelBeforeForecast + kernelAfterForecast) / 2);
        Result result =
                new Result(
                        parallelism,
                        kernelOne,
                        kernelAll,
                        kernelAllAfter,
                        kernelBeforeForecast,
                        kernelAfterForecast,
                        share,
                        phases.stream().map(Phase::withoutIdleThreads).toList());
        if (console.json()) {
            console.printJson(result);
            return Blurstream.EXIT_OK;
        }
        Table table =
                new Table(
                        "phase",
                        "groups",
                        "slide",
                        "readings",
                        "forecasts",
                        "readings/s",
                        "forecasts/s",
                        "p50 ms",
                        "p99 ms",
                        "max ms",
                        "job cores",
                        "broker cores",
                        "JIT");
        for (Phase p : phases) {
            table.row(
                    p.phase(),
                    p.groups(),
                    p.slide(),
                    p.readings(),
                    p.forecasts(),
                    String.format("%,.0f", p.readingsPerSec()),
                    String.format("%,.0f", p.forecastsPerSec()),
                    p.latencyP50Ms() < 0 ? "" : Long.toString(p.latencyP50Ms()),
                    p.latencyP99Ms() < 0 ? "" : Long.toString(p.latencyP99Ms()),
                    p.latencyMaxMs() < 0 ? "" : Long.toString(p.latencyMaxMs()),
                    String.format("%.2f", p.jobCores()),
                    String.format("%.2f", p.brokerCores()),
                    String.format("%.2f", p.jitCores()));
        }
        console.print(table);
        for (Phase p : phases) {
            if (p.phase().startsWith("warmup")) {
                continue;
            }
            if (!p.threadCores().isEmpty()) {
                console.println(threadLine(p));
            }
            if (!p.threadWaits().isEmpty()) {
                console.println(waitLine(p));
            }
        }
        console.println(
                "warmup rows are not measurements: they let the JIT compile both JVMs' code"
                        + " first."
                        + " job cores: CPU of this JVM (the job, and the benchmark's own clients in"
                        + " the latency phase) per second, over the span the rates cover; broker"
                        + " cores: the same for the broker's JVM; JIT: seconds this JVM's JIT"
                        + " compilers spent compiling, per second");
        console.println(
                String.format(
                        "forecaster alone at the start: %,.0f forecasts/s (1 thread), %,.0f (%d"
                                + " threads)",
                        kernelOne, kernelAll, parallelism));
        if (share != null) {
            console.println(
                    String.format(
                            "forecaster alone on %d threads just before and after the forecast"
                                    + " phase: %,.0f and %,.0f forecasts/s; the job forecasting"
                                    + " every tick reaches %.0f%% of their mean",
                            parallelism, kernelBeforeForecast, kernelAfterForecast, 100 * share));
        }
        console.println(
                String.format(
                        "forecaster alone after the phases, same JVM: %,.0f forecasts/s (%d"
                                + " threads)",
                        kernelAllAfter, parallelism));
        return Blurstream.EXIT_OK;
    }

    /** Threads that used at least {@link #THREAD_LINE_MIN_CORES}, most first, on one line. */
    static String threadLine(Phase phase) {
        StringBuilder line =
                new StringBuilder(phase.phase()).append(" phase, cores by thread (allocated):");
        double rest = 0;
        String separator = " ";
        for (ThreadCpu.Share share : phase.threadCores()) {
            if (share.cores() < THREAD_LINE_MIN_CORES) {
                rest += share.cores();
                continue;
            }
            line.append(separator).append(String.format("%s %.2f", share.threads(), share.cores()));
            if (share.allocatedMBPerSec() >= 0) {
                line.append(String.format(" (%,.0f MB/s)", share.allocatedMBPerSec()));
            }
            separator = ", ";
        }
        double javaThreads = phase.threadCores().stream().mapToDouble(ThreadCpu.Share::cores).sum();
        // the GC's and the JIT compilers' threads are not Java threads: the JVM's total has them
        return line.append(
                        String.format(
                                "%sother Java threads %.2f, outside Java threads %.2f",
                                separator, rest, Math.max(0, phase.jobCores() - javaThreads)))
                .toString();
    }

    /**
     * Threads that waited for a core at least {@link #THREAD_LINE_MIN_CORES} of the time (as the
     * kernel names them), most first, and all threads together.
     */
    static String waitLine(Phase phase) {
        StringBuilder line =
                new StringBuilder(phase.phase())
                        .append(" phase, threads ready but waiting for a core (running):");
        String separator = " ";
        for (ThreadCpu.Wait wait : phase.threadWaits()) {
            boolean total = wait.threads().equals("all threads");
            if (total || wait.waiting() >= THREAD_LINE_MIN_CORES) {
                line.append(separator)
                        .append(
                                String.format(
                                        "%s %.2f (%.2f)",
                                        wait.threads(), wait.waiting(), wait.running()));
                separator = ", ";
            }
        }
        return line.toString();
    }

    /**
     * Collects what earlier phases left on the heap (their jobs' state, buffers and clients), so a
     * phase does not pay for the last one's garbage in its own collections.
     */
    private static void startClean() {
        System.gc();
    }

    /** A preloaded backlog read as fast as the job can. */
    private static Phase throughput(
            SessionCluster cluster,
            LocalKafkaBroker broker,
            String name,
            Path catalog,
            Path modelFile,
            int groups,
            int ticks,
            int slide,
            int parallelism,
            Console console)
            throws Exception {
        Topics topics = new Topics(name);
        startClean();
        broker.createTopics(topics.all());
        console.info(
                String.format(
                        "%s: preloading %,d readings", name, (long) groups * ticks * CHANNELS));
        preload(broker, topics.readings, groups, ticks);
        CpuMeter cpu = new CpuMeter(broker);
        JobClient job =
                submit(cluster, broker, topics, catalog, modelFile, slide, parallelism, true);
        long expectedRows = (long) groups * ticks;
        Progress rows = new Progress(cpu, expectedRows);
        Progress forecasts = new Progress(cpu, 0);
        // the result of the bounded job, which also carries the cause of a failure
        var result = job.getJobExecutionResult();
        try (Offsets offsets = new Offsets(broker)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!result.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                long now = System.nanoTime();
                rows.sample(now, offsets.end(topics.rows));
                forecasts.sample(now, offsets.end(topics.forecasts));
                console.status(
                        String.format(
                                "%s: %,d of %,d rows, %,d forecasts",
                                name, rows.last, expectedRows, forecasts.last));
            }
            if (!result.isDone()) {
                job.cancel();
                throw new IllegalStateException(
                        name + ": the job did not finish its backlog within 10 minutes");
            }
            // without restarts (see submit) a failure ends the job; say why instead of waiting
            try {
                result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(name + ": the job failed: " + e.getCause(), e);
            }
            long now = System.nanoTime();
            rows.sample(now, offsets.end(topics.rows));
            forecasts.sample(now, offsets.end(topics.forecasts));
        }
        console.clearStatus();
        // rows × 7 readings is the ingest rate; the rows a group ticks on after its last reading
        // (its silence allowance) make the row count exceed the preloaded ticks slightly
        return new Phase(
                name,
                groups,
                slide,
                (long) groups * ticks * CHANNELS,
                forecasts.last,
                CHANNELS * rows.rate(),
                forecasts.rate(),
                -1,
                -1,
                -1,
                rows.jobCores(),
                rows.brokerCores(),
                rows.jitCores(),
                rows.threadCores(),
                rows.threadWaits());
    }

    /** Readings paced at {@code readingsPerSec}, live; latency of every forecast. */
    private static Phase latency(
            SessionCluster cluster,
            LocalKafkaBroker broker,
            Path catalog,
            Path modelFile,
            int groups,
            double readingsPerSec,
            int seconds,
            int parallelism,
            Console console)
            throws Exception {
        Topics topics = new Topics("latency");
        startClean();
        broker.createTopics(topics.all());
        CpuMeter cpu = new CpuMeter(broker);
        ThreadCpu.Snapshot threadsBefore = ThreadCpu.snapshot();
        JobClient job = submit(cluster, broker, topics, catalog, modelFile, 1, parallelism, false);
        // one tick of every group is one row of readings; pace ticks to the reading rate
        double ticksPerSec = readingsPerSec / (groups * CHANNELS);
        int ticks = (int) Math.max(WINDOW + 10, Math.round(ticksPerSec * seconds));
        console.info(
                String.format(
                        "latency: %,d groups at %,.0f readings/s (%.1f ticks/s) for %d s",
                        groups, readingsPerSec, ticksPerSec, seconds));
        // when each tick's readings went out, to line the latencies up with the job's GC log
        StringBuilder tickLog = new StringBuilder("tickMillis,sentAtMillis\n");
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            SplittableRandom random = new SplittableRandom(3);
            long start = System.nanoTime();
            for (int t = 0; t < ticks; t++) {
                long due = start + (long) (t / ticksPerSec * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    producer.flush();
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sendTick(producer, topics.readings, groups, t, random);
                tickLog.append(START.toEpochMilli() + t * STEP)
                        .append(',')
                        .append(System.currentTimeMillis())
                        .append('\n');
            }
            producer.flush();
            awaitQuiet(broker, topics.forecasts, Duration.ofSeconds(2), Duration.ofSeconds(30));
        } finally {
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
        double jobCores = cpu.jobCores();
        double brokerCores = cpu.brokerCores();
        double jitCores = cpu.jitCores();
        ThreadCpu.Snapshot threadsAfter = ThreadCpu.snapshot();
        List<ThreadCpu.Share> threadCores = ThreadCpu.shares(threadsBefore, threadsAfter);
        List<ThreadCpu.Wait> threadWaits = ThreadCpu.waits(threadsBefore, threadsAfter);
        // a failed job produced no forecasts after its failure: the figures would flatter it
        if (job.getJobExecutionResult().isCompletedExceptionally()) {
            try {
                job.getJobExecutionResult().get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("latency: the job failed: " + e.getCause(), e);
            }
        }
        // Percentiles are of the steady state: the first tenth of the forecasts (in tick order)
        // carries the job's start-up (first sends of each sink, the first windows of every group
        // at once); its worst case still shows as the maximum. Tick order, because the topic's
        // partitions come back one batch after another.
        List<ForecastStamp> stamps =
                ForecastReader.readAll(broker, topics.forecasts).stream()
                        .sorted(Comparator.comparingLong(ForecastStamp::issuedForMillis))
                        .toList();
        // every forecast's group, tick and latency, for looking into the tail
        StringBuilder log = new StringBuilder("group,tickMillis,latencyMillis\n");
        long[] all = new long[stamps.size()];
        List<Long> forecastTicks = new ArrayList<>(stamps.size());
        for (int i = 0; i < all.length; i++) {
            ForecastStamp f = stamps.get(i);
            all[i] = f.latencyMillis();
            forecastTicks.add(f.issuedForMillis());
            log.append(f.groupId())
                    .append(',')
                    .append(f.issuedForMillis())
                    .append(',')
                    .append(f.latencyMillis())
                    .append('\n');
        }
        Path latencyLog = catalog.resolveSibling("latencies.csv");
        Files.writeString(latencyLog, log);
        Files.writeString(latencyLog.resolveSibling("ticks.csv"), tickLog);
        console.info(
                "latency: every forecast's latency is in "
                        + latencyLog
                        + ", each tick's send time in ticks.csv beside it");
        console.info(slowestPerTick(all, forecastTicks));
        long[] steady = Arrays.copyOfRange(all, all.length / 10, all.length);
        Arrays.sort(steady);
        return new Phase(
                "latency",
                groups,
                1,
                (long) ticks * groups * CHANNELS,
                all.length,
                readingsPerSec,
                ticksPerSec * groups,
                percentile(steady, 0.5),
                percentile(steady, 0.99),
                Arrays.stream(all).max().orElse(-1),
                jobCores,
                brokerCores,
                jitCores,
                threadCores,
                threadWaits);
    }

    /**
     * Waits until {@code topic} has grown by nothing for {@code quiet} (the forecasts of the last
     * ticks have been written), at most {@code limit}: each wait is a fetch that returns as soon as
     * a record arrives.
     */
    private static void awaitQuiet(
            LocalKafkaBroker broker, String topic, Duration quiet, Duration limit) {
        try (Offsets offsets = new Offsets(broker)) {
            offsets.awaitQuiet(topic, quiet, limit);
        }
    }

    private static JobClient submit(
            SessionCluster cluster,
            LocalKafkaBroker broker,
            Topics topics,
            Path catalog,
            Path modelFile,
            int slide,
            int parallelism,
            boolean bounded)
            throws Exception {
        Configuration options = new Configuration();
        options.set(ForecastJobOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        options.set(ForecastJobOptions.CATALOG, catalog.toString());
        // the model comes from the file; the key only guards the (unused) model topic
        Path key = catalog.resolveSibling("model.key");
        if (!Files.exists(key)) {
            UpdateKeys.writeHmacSecret(UpdateKeys.newHmacSecret(), key);
        }
        options.set(ForecastJobOptions.MODEL_KEY_FILE, key.toString());
        options.set(ForecastJobOptions.MODEL_FILE, modelFile.toString());
        options.set(ForecastJobOptions.READING_TOPICS, List.of(topics.readings));
        options.set(ForecastJobOptions.FORECAST_TOPIC, topics.forecasts);
        options.set(ForecastJobOptions.FUSED_ROW_TOPIC, topics.rows);
        options.set(ForecastJobOptions.DEAD_LETTER_TOPIC, topics.deadLetters);
        options.set(ForecastJobOptions.LATE_TOPIC, topics.late);
        options.set(ForecastJobOptions.MODEL_TOPIC, topics.models);
        options.set(ForecastJobOptions.MODEL_EVENT_TOPIC, topics.modelEvents);
        options.set(ForecastJobOptions.EVALUATION_TOPIC, topics.evaluations);
        options.set(ForecastJobOptions.GROUP_ID, "bench-" + topics.readings);
        options.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + topics.readings);
        options.set(ForecastJobOptions.WINDOW_SLIDE, slide);
        options.set(ForecastJobOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        options.set(ForecastJobOptions.CHECKPOINT_INTERVAL, checkpointInterval);
        options.set(ForecastJobOptions.EVALUATION_ENABLED, evaluation);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        parallelism, jobConfiguration(catalog.resolveSibling("checkpoints")));
        ForecastJob job = ForecastJob.fromConfiguration(options, bounded);
        job.checkTopicsExist(Duration.ofSeconds(30));
        job.addTo(env);
        return cluster.submit(env, "bench pipeline " + topics.readings);
    }

    /** What every phase's job runs with (the session cluster starts with it too). */
    private static Configuration jobConfiguration(Path checkpoints) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(10));
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(5));
        // a restart would replay part of the input and blur every figure; fail instead, and say
        // why
        conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none");
        // checkpoints to files: the JobManager's memory takes at most 5 MB of state per task
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        return conf;
    }

    private static void preload(LocalKafkaBroker broker, String topic, int groups, int ticks) {
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            SplittableRandom random = new SplittableRandom(1);
            for (int t = 0; t < ticks; t++) {
                sendTick(producer, topic, groups, t, random);
            }
            producer.flush();
        }
    }

    /** The seven readings of every group at tick {@code t}: daily sines plus noise. */
    private static void sendTick(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int groups,
            int t,
            SplittableRandom random) {
        long ts = START.toEpochMilli() + t * STEP;
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < CHANNELS; c++) {
                double value =
                        10 * Math.sin(2 * Math.PI * (t + 17 * g + 5 * c) / 1440.0)
                                + random.nextGaussian();
                String sensor = "g" + g + ".c" + c;
                byte[] json =
                        ReplayPlan.reading(sensor, ts, value).getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(topic, sensor.getBytes(StandardCharsets.UTF_8), json));
            }
        }
    }

    static String catalogYaml(int groups) {
        StringBuilder yaml = new StringBuilder("version: 1\ngroups:\n");
        for (int g = 0; g < groups; g++) {
            yaml.append("  g")
                    .append(g)
                    .append(":\n    step: 1m\n    allowedLateness: 0s\n    maxGapTicks: 24\n")
                    .append("    maxStaleness: 3m\n    fill: last\n")
                    .append("    channels: [c0, c1, c2, c3, c4, c5, c6]\n");
        }
        yaml.append("sensors:\n");
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < CHANNELS; c++) {
                yaml.append("  g")
                        .append(g)
                        .append(".c")
                        .append(c)
                        .append(": {group: g")
                        .append(g)
                        .append(", channel: c")
                        .append(c)
                        .append("}\n");
            }
        }
        return yaml.toString();
    }

    static BlurModel model() {
        BlurConfig config =
                BlurConfig.builder()
                        .window(WINDOW)
                        .horizon(96)
                        .channels(List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6"))
                        .gridStepMillis(STEP)
                        .channelMode(ChannelMode.INDEPENDENT)
                        .revin(true)
                        .hidden(64)
                        .state(64)
                        .layers(2)
                        .build();
        double[] mean = new double[CHANNELS];
        double[] std = new double[CHANNELS];
        Arrays.fill(std, 7);
        return new BlurModel(
                "bench",
                1,
                START,
                config,
                new Scaler(mean, std),
                Map.of(),
                ModelInitializer.initialize(config, 1));
    }

    /** Windows per second of {@link Forecaster} one window at a time, on {@code threads}. */
    static double kernelForecastsPerSec(BlurModel model, int threads) throws Exception {
        float[] window = new float[WINDOW * CHANNELS];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < window.length; i++) {
            window[i] = (float) random.nextGaussian();
        }
        long[] counts = new long[threads];
        Thread[] workers = new Thread[threads];
        long measureNanos = Duration.ofSeconds(3).toNanos();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            workers[w] =
                    new Thread(
                            () -> {
                                Forecaster forecaster = new Forecaster(model);
                                Forecaster.Workspace ws = forecaster.newWorkspace(1);
                                float[] out = new float[forecaster.horizon() * CHANNELS];
                                long warm = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                                while (System.nanoTime() < warm) {
                                    forecaster.forecast(window, 0, out, 0, ws);
                                }
                                long end = System.nanoTime() + measureNanos;
                                long n = 0;
                                while (System.nanoTime() < end) {
                                    forecaster.forecast(window, 0, out, 0, ws);
                                    n++;
                                }
                                counts[worker] = n;
                            });
            workers[w].start();
        }
        long total = 0;
        for (int w = 0; w < threads; w++) {
            workers[w].join();
            total += counts[w];
        }
        return total / (measureNanos / 1e9);
    }

    private static KafkaProducer<byte[], byte[]> producer(LocalKafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A line on the slowest forecast of each tick, over the steady state: all groups close a tick
     * at once, so that is the burst's length, and it moves less from run to run than the p99, which
     * the occasional slow second (a checkpoint, a GC cycle, the host) decides.
     */
    static String slowestPerTick(long[] latencies, List<Long> ticks) {
        Map<Long, Long> slowest = new HashMap<>();
        for (int i = latencies.length / 10; i < latencies.length; i++) {
            slowest.merge(ticks.get(i), latencies[i], Math::max);
        }
        long[] sorted = slowest.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(
                "latency: the slowest forecast of each tick: median %d ms, 90th percentile %d ms"
                        + " (%d ticks)",
                percentile(sorted, 0.5), percentile(sorted, 0.9), sorted.length);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The topics of one phase, named after it so phases do not see each other's records. */
    private static final class Topics {
        final String readings;
        final String forecasts;
        final String rows;
        final String deadLetters;
        final String late;
        final String models;
        final String modelEvents;
        final String evaluations;

        Topics(String phase) {
            readings = phase + ".readings";
            forecasts = phase + ".forecasts";
            rows = phase + ".rows";
            deadLetters = phase + ".dead-letters";
            late = phase + ".late";
            models = phase + ".models";
            modelEvents = phase + ".model-events";
            evaluations = phase + ".evaluations";
        }

        Map<String, Integer> all() {
            Map<String, Integer> topics = new LinkedHashMap<>();
            topics.put(readings, 2);
            topics.put(forecasts, 2);
            topics.put(rows, 2);
            topics.put(deadLetters, 1);
            topics.put(late, 1);
            topics.put(models, 1);
            topics.put(modelEvents, 1);
            topics.put(evaluations, 2);
            return topics;
        }
    }

    /** CPU clocks of this JVM and of the broker's; cores used since construction. */
    private static final class CpuMeter {
        private final LocalKafkaBroker broker;
        private final long startNanos = System.nanoTime();
        private final long jobStart = jobNanos();
        private final long jitStart = jitNanos();
        private final long brokerStart;

        CpuMeter(LocalKafkaBroker broker) {
            this.broker = broker;
            this.brokerStart = brokerNanos();
        }

        long jobNanos() {
            return Math.round(CpuLoad.processCpuSeconds() * 1e9);
        }

        long brokerNanos() {
            return broker.cpuTime().toNanos();
        }

        /** Time this JVM's JIT compilers have spent compiling, summed over their threads. */
        static long jitNanos() {
            return ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000;
        }

        double jitCores() {
            return (jitNanos() - jitStart) / (double) (System.nanoTime() - startNanos);
        }

        double jobCores() {
            return (jobNanos() - jobStart) / (double) (System.nanoTime() - startNanos);
        }

        double brokerCores() {
            return (brokerNanos() - brokerStart) / (double) (System.nanoTime() - startNanos);
        }
    }

    /** End offsets of a topic (written records, committed or not). */
    private static final class Offsets implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;

        Offsets(LocalKafkaBroker broker) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            consumer =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        long end(String topic) {
            // transaction markers take one offset per partition and transaction; negligible
            return consumer.endOffsets(partitions(topic)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        /** Reads {@code topic} from its end until a fetch of {@code quiet} brings nothing. */
        void awaitQuiet(String topic, Duration quiet, Duration limit) {
            consumer.assign(partitions(topic));
            consumer.seekToEnd(consumer.assignment());
            long deadline = System.nanoTime() + limit.toNanos();
            while (!consumer.poll(quiet).isEmpty() && System.nanoTime() < deadline) {
                // the topic still grows
            }
        }

        private List<TopicPartition> partitions(String topic) {
            return consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * Samples of a growing count with the CPU clocks of both JVMs; the rate, and the cores used,
     * between 10% and 90% of the count's final value (start-up and drain left out).
     */
    private static final class Progress {
        private final List<long[]> samples = new ArrayList<>();
        private final CpuMeter cpu;
        private final long expected;
        private ThreadCpu.Snapshot threadsFrom;
        private ThreadCpu.Snapshot threadsTo;
        long last;

        /**
         * @param expected the count expected at the end, or 0: the threads' clocks are read (two
         *     snapshots, cheap enough not to show in the figures) when the count first reaches 10%
         *     and 90% of it, about the span the rates cover (the final count exceeds the expected
         *     one slightly)
         */
        Progress(CpuMeter cpu, long expected) {
            this.cpu = cpu;
            this.expected = expected;
        }

        void sample(long nanos, long count) {
            samples.add(
                    new long[] {
                        nanos, count, cpu.jobNanos(), cpu.brokerNanos(), CpuMeter.jitNanos()
                    });
            if (expected > 0 && threadsFrom == null && count >= 0.1 * expected) {
                threadsFrom = ThreadCpu.snapshot();
            } else if (threadsFrom != null && threadsTo == null && count >= 0.9 * expected) {
                threadsTo = ThreadCpu.snapshot();
            }
            last = count;
        }

        /** Cores per kind of thread of this JVM in the steady span; empty without snapshots. */
        List<ThreadCpu.Share> threadCores() {
            return threadsTo == null ? List.of() : ThreadCpu.shares(threadsFrom, threadsTo);
        }

        /** Running and waiting cores per kernel thread name in the steady span. */
        List<ThreadCpu.Wait> threadWaits() {
            return threadsTo == null ? List.of() : ThreadCpu.waits(threadsFrom, threadsTo);
        }

        double rate() {
            long[][] span = steadySpan();
            return span == null ? 0 : (span[1][1] - span[0][1]) / ((span[1][0] - span[0][0]) / 1e9);
        }

        /** Cores the job's JVM used in the steady span. */
        double jobCores() {
            return cores(2);
        }

        /** Cores the broker's JVM used in the steady span. */
        double brokerCores() {
            return cores(3);
        }

        /** Compiling time of this JVM's JIT compilers per second of the steady span. */
        double jitCores() {
            return cores(4);
        }

        private double cores(int clock) {
            long[][] span = steadySpan();
            return span == null
                    ? 0
                    : (span[1][clock] - span[0][clock]) / (double) (span[1][0] - span[0][0]);
        }

        private long[][] steadySpan() {
            if (last == 0) {
                return null;
            }
            long[] from = null;
            long[] to = null;
            for (long[] s : samples) {
                if (from == null && s[1] >= 0.1 * last) {
                    from = s;
                }
                if (to == null && s[1] >= 0.9 * last) {
                    to = s;
                }
            }
            return from == null || to == null || to[0] == from[0] ? null : new long[][] {from, to};
        }
    }
}
