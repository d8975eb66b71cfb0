package io.blurstream.bench;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cli.Table;
import io.blurstream.model.kernel.KernelMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code blurstream bench kernel}: the BLUR inference throughput table; {@code bench train}:
 * training seconds per epoch ({@link TrainSpeed}); {@code bench jmh}: the JMH benchmarks.
 */
public final class BenchCommand implements Command {

    /** The GEMM row's shape: the block's dominant product at W = 96, H = N = 128. */
    private static final int GEMM_M = 96;

    private static final int GEMM_K = 128;
    private static final int GEMM_N = 512;

    /** Steal time above this many cores gets a warning: 2% of one of the two. */
    private static final double STEAL_WARNING_CORES = 0.02;

    private static final List<Integer> WINDOWS = List.of(96, 336, 720, 4096);
    private static final List<Integer> QUICK_WINDOWS = List.of(96, 720);
    private static final List<Integer> WIDTHS = List.of(64, 128);
    private static final List<Integer> QUICK_WIDTHS = List.of(128);
    private static final List<Integer> BATCHES = List.of(1, 64);

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Measure the kernel (windows/s, GFLOP/s), training speed or the streaming pipeline";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream bench kernel [options]
               blurstream bench train [--peer torch] [--threads 2] [--steps N] [options]
               blurstream bench pipeline [--groups G] [--ticks T] [--json]
               blurstream bench jmh [--include REGEX] [--quick]

        Forecasts random windows (7 channels, horizon 96, L=2, H=N, channel mixing)
        with a randomly initialised BLUR model and prints, per configuration,
        windows/s, microseconds per window, effective GFLOP/s (the three dense
        products and the two scans of every block, encoder and head), and the cost
        of a window relative to W=96: the median of the ratios of slices measured
        in the same pass, so a slow spell of the host cancels out of it. A GEMM row
        measures 96x128 * 128x512, the block's dominant product. Single thread
        unless --threads is given.

        Options:
          --quick            W in {96, 720}, H=N=128, 0.5 s per row (about 10 s)
          --windows LIST     window lengths W             (default 96,336,720,4096)
          --widths LIST      H = N values                 (default 64,128)
          --batches LIST     windows per forecast call    (default 1,64)
          --seconds S        measuring time per row       (default 2; 0.5 with --quick)
          --threads T        worker threads; 1 = the calling thread only
                             (default 1, or 2 with --peer)
          --rounds R         measure R times as long: each row is the median of 5R
                             slices (with --in-process: of R runs of the grid)
                                                                          (default 1)
          --in-process       measure every configuration in this JVM, one after the
                             other; by default each (W, H) runs in a JVM of its own, as
                             a job serving one model would (code compiled for one shape
                             slows the next ones), and the rows take turns: every row
                             measures a slice in each pass, so a slow spell of a shared
                             host hits every row alike and the cost-vs-W=96 column
                             stays honest
          --jvms K           measure each (W, H) in K JVMs and report the median over
                             all of their slices: the same shape runs up to a third
                             faster in one JVM than in another     (default 1)
          --peer torch       also run the independent eager-PyTorch implementation
                             (benchmarks/peers/blur_torch.py, needs Debian's python3-torch)
                             on the same model file and windows: check that both forecast
                             the same values (max relative error) and time it with the
                             same number of threads
          --json             end with one JSON line: kernelMode, threads, rounds, jvms,
                             stealCores (cores the hypervisor took while measuring), gemm,
                             rows
                             (W, H, N, L, batch, windowsPerSec, gflops, microsPerWindow,
                             costVsW96 when the W=96 row was measured;
                             with --peer also torchWindowsPerSec, speedup, maxRelError)

        bench train times the Java trainer on the training-speed configuration
        (ETTh1, horizon 96, batch 32, H=N=64, L=2, channel-independent with RevIN,
        dropout 0.1: the defaults of `blurstream train`) and reports seconds per
        epoch of training steps, without validation: the mean time of the steps
        after a warm-up, times the 265 steps of an epoch.
          --peer torch       also train the eager-PyTorch peer on the same data and
                             network (benchmarks/peers/blur_torch_train.py, needs
                             Debian's python3-torch) with the same number of threads
          --threads T        threads of each side                 (default 2)
          --steps N          time N steps after the warm-up instead of the rest of
                             the epoch, and extrapolate          (default: whole epoch)
          --warmup-steps K   untimed steps at the start of a run  (default 5)
          --rounds R         run each side R times, alternating Java and PyTorch,
                             and report the medians               (default 1)
          --scans LIST       the peer's recurrence variants, each timed: conv (one
                             H x H kernel per lag, FFT convolution; the fastest),
                             fft (complex states by FFT, as blur_torch.py), loop
                             (step by step)                       (default conv)
          --json             end with one JSON line: javaSecondsPerEpoch,
                             torchSecondsPerEpoch (fastest scan; null without
                             --peer), ratio (torch / Java), msPerStep, threads, runs

        bench pipeline runs the forecast job end to end on the local stack (Kafka
        broker in a child JVM, MiniCluster) on synthetic groups of 7 sensors with a
        random model of W=96, H=N=64, L=2: ingest (a preloaded backlog, a forecast
        every --slide-ingest ticks; readings/s), forecast (a forecast every tick on
        a quarter of the groups; forecasts/s against the forecaster alone on as many
        threads as job slots, timed just before and just after the phase), and
        latency (readings paced at half the measured rate; p50/p99 from a tick
        closing to its forecast going to Kafka), after an unmeasured warm-up. The
        jobs run one after another on one local cluster, as on a session cluster;
        the warm-up repeats (at most 4 rounds) until the JIT compilers spend at
        most half a second per second compiling.
          --groups G         groups of 7 sensors            (default 200)
          --ticks T          grid ticks preloaded per group  (default 1500)
          --slide-ingest S   ticks between forecasts in the ingest phase (default 24)
          --parallelism P    job slots                      (default 2)
          --latency-seconds S   length of the paced phase   (default 40)
          --phases LIST      which phases to run; warmup (the ingest and the forecast
                             workloads on 500 ticks each) is reported, not judged
                                                    (default warmup,ingest,forecast,latency)
          --latency-rate R   readings/s of the latency phase (default: half the lower
                             rate of ingest and forecast; needed without them)
          --checkpoint-seconds S   checkpoint interval; exactly-once forecasts become
                             visible to read_committed consumers at each checkpoint
                             (default: the job's blur.checkpoint.interval, 10 s)
          --no-evaluation    run the job without online evaluation
          --json             end with one JSON line: parallelism,
                             kernelForecastsPerSec (1 thread),
                             kernelForecastsPerSecAllSlots (at the start),
                             kernelForecastsPerSecAllSlotsAfter (after the phases),
                             kernelForecastsPerSecBeforeForecast and
                             kernelForecastsPerSecAfterForecast (just around the
                             forecast phase), forecastShareOfKernel (the forecast
                             phase's forecasts/s over the mean of those two; the
                             three null without the forecast phase), phases (phase, groups,
                             slide, readings, forecasts, readingsPerSec,
                             forecastsPerSec, latencyP50Ms, latencyP99Ms,
                             latencyMaxMs, jobCores, brokerCores, jitCores:
                             the seconds this JVM's JIT compilers spent
                             compiling, per second; threadCores and
                             threadWaits: the threads that ran or waited
                             at least 0.001 cores)
        The broker compiles fully, as in production; each phase also reports the
        cores the job's JVM and the broker's used. A job failure ends the benchmark
        with its cause (the job runs without restarts). The latency phase writes
        every forecast's tick and latency to latencies.csv and prints its path,
        and the median and 90th percentile over the ticks of each tick's slowest
        forecast: all groups close a tick at once, so that is the burst's length,
        steadier between runs than the p99.

        bench jmh runs the JMH benchmarks (io.blurstream.bench.jmh: GemmBenchmark,
        ForecastBenchmark, RecordJsonBenchmark, PendingStateBenchmark) in forked
        JVMs; --include selects by regular expression, --quick runs fewer
        iterations on W in {96, 720}, H=N=128.

        Examples:
          blurstream bench kernel --quick
          blurstream bench kernel --windows 96 --widths 128 --batches 64 --json
          blurstream bench kernel --peer torch --windows 96,720 --widths 128
          blurstream bench train --peer torch --rounds 2
          blurstream bench pipeline --json
          blurstream bench train --peer torch --scans conv,fft,loop --steps 20
        """;
    }

    @Override
    public int run(Arguments args, Console console) throws Exception {
        String what = args.positional(0, "");
        if (what.equals("jmh")) {
            return runJmh(args);
        }
        if (what.equals("train")) {
            return TrainSpeed.run(args, console);
        }
        if (what.equals("pipeline")) {
            return PipelineBench.run(args, console);
        }
        args.checkOptions(
                "quick",
                "windows",
                "widths",
                "batches",
                "seconds",
                "threads",
                "peer",
                "in-process",
                "serve",
                "rounds",
                "jvms",
                "json");
        args.checkPositionals(1);
        if (!what.equals("kernel")) {
            throw new IllegalArgumentException(
                    what.isEmpty()
                            ? "say what to benchmark: blurstream bench kernel (or bench train,"
                                    + " bench jmh)"
                            : "unknown benchmark '"
                                    + what
                                    + "'; available: kernel, train, pipeline, jmh");
        }
        boolean quick = args.flag("quick");
        List<Integer> windows = args.intList("windows", quick ? QUICK_WINDOWS : WINDOWS);
        List<Integer> widths = args.intList("widths", quick ? QUICK_WIDTHS : WIDTHS);
        List<Integer> batches = args.intList("batches", BATCHES);
        double seconds = args.decimal("seconds", quick ? 0.5 : 2.0);
        String peerName = args.string("peer", "");
        if (!peerName.isEmpty() && !peerName.equals("torch")) {
            throw new IllegalArgumentException("--peer supports 'torch', got '" + peerName + "'");
        }
        boolean peer = peerName.equals("torch");
        int threads = args.integer("threads", peer ? 2 : 1);
        int rounds = args.integer("rounds", 1);
        int jvms = args.integer("jvms", 1);
        positive("windows", windows);
        positive("widths", widths);
        positive("batches", batches);
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (jvms < 1) {
            throw new IllegalArgumentException("--jvms must be >= 1, got " + jvms);
        }
        if (jvms > 1 && args.flag("in-process")) {
            throw new IllegalArgumentException("--jvms and --in-process exclude each other");
        }
        if (KernelMode.active() != KernelMode.VECTOR) {
            console.info(
                    "note: the Vector API is not active; measuring the scalar fallback"
                            + " (start java with --add-modules=jdk.incubator.vector)");
        }

        KernelBench bench = new KernelBench(seconds, threads, line -> console.info("  " + line));
        if (args.flag("serve")) {
            // one shape's JVM of ForkedKernelBench: measures when its parent says so
            if (windows.size() != 1 || widths.size() != 1) {
                throw new IllegalArgumentException("--serve measures one --windows and --widths");
            }
            bench.serve(
                    windows.get(0),
                    widths.get(0),
                    batches,
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    System.in, java.nio.charset.StandardCharsets.UTF_8)),
                    System.out);
            return 0;
        }
        console.info(
                "bench kernel: kernel="
                        + KernelMode.active()
                        + ", threads="
                        + threads
                        + ", "
                        + seconds
                        + " s per row");
        KernelBench.GemmRow gemm;
        List<KernelBench.Row> rows;
        CpuLoad.Snapshot start = CpuLoad.snapshot();
        if (args.flag("in-process")) {
            gemm = bench.gemm(GEMM_M, GEMM_K, GEMM_N);
            List<List<KernelBench.Row>> roundRows = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    console.info("  round " + round + " of " + rounds);
                }
                roundRows.add(bench.run(windows, widths, batches));
            }
            rows = KernelBench.medians(roundRows);
        } else {
            // the GEMM row takes its turns with the others, from this JVM
            console.info("  " + KernelBench.gemmName(GEMM_M, GEMM_K, GEMM_N));
            ForkedKernelBench.Measured measured =
                    ForkedKernelBench.run(
                            windows,
                            widths,
                            batches,
                            seconds,
                            threads,
                            rounds,
                            jvms,
                            KernelBench.gemmCall(GEMM_M, GEMM_K, GEMM_N),
                            line -> console.info("  " + line));
            rows = measured.rows();
            gemm = KernelBench.gemmRow(GEMM_M, GEMM_K, GEMM_N, measured.parentCallsPerSec());
        }
        Double steal = CpuLoad.stealCores(start, CpuLoad.snapshot());
        if (steal != null && steal > STEAL_WARNING_CORES) {
            console.info(
                    String.format(
                            Locale.ROOT,
                            "warning: the hypervisor took %.2f cores from this machine while it"
                                    + " measured (steal time); its figures are low and uneven",
                            steal));
        }
        Map<String, PeerRow> peerRows =
                peer ? runPeer(rows, batches, seconds, threads, console) : Map.of();

        if (console.json()) {
            console.printJson(summary(gemm, rows, threads, rounds, jvms, steal, peerRows));
            return 0;
        }
        console.println(
                String.format(
                        Locale.ROOT,
                        "%s: %.1f GFLOP/s",
                        KernelBench.gemmName(gemm.m(), gemm.k(), gemm.n()),
                        gemm.gflops()));
        List<String> header =
                new ArrayList<>(
                        List.of(
                                "W",
                                "H",
                                "N",
                                "L",
                                "batch",
                                "windows/s",
                                "us/window",
                                "GFLOP/s",
                                "cost vs W=96"));
        if (peer) {
            header.addAll(List.of("torch windows/s", "speed-up", "max rel err"));
        }
        Table table = new Table(header.toArray(String[]::new));
        for (KernelBench.Row row : rows) {
            List<Object> cells =
                    new ArrayList<>(
                            List.of(
                                    row.window(),
                                    row.hidden(),
                                    row.state(),
                                    row.layers(),
                                    row.batch(),
                                    String.format(Locale.ROOT, "%.1f", row.windowsPerSec()),
                                    String.format(Locale.ROOT, "%.1f", row.microsPerWindow()),
                                    String.format(Locale.ROOT, "%.1f", row.gflops()),
                                    relativeCost(row)));
            if (peer) {
                PeerRow p = peerRows.get(key(row));
                cells.add(String.format(Locale.ROOT, "%.1f", p.torchWindowsPerSec()));
                cells.add(String.format(Locale.ROOT, "%.2fx", p.speedup()));
                cells.add(String.format(Locale.ROOT, "%.1e", p.maxRelError()));
            }
            table.row(cells.toArray());
        }
        console.print(table);
        if (peer) {
            console.println(
                    "threads: "
                            + threads
                            + " for both; speed-up = Blurstream windows/s / PyTorch"
                            + " windows/s; max rel err = max |ours - torch| / max |torch|");
        }
        return 0;
    }

    /** Runs the JMH benchmarks of this module whose names match {@code --include}. */
    private static int runJmh(Arguments args) throws Exception {
        args.checkOptions("include", "quick");
        args.checkPositionals(1);
        org.openjdk.jmh.runner.options.ChainedOptionsBuilder options =
                new org.openjdk.jmh.runner.options.OptionsBuilder()
                        .include(args.string("include", "io.blurstream.bench.jmh.*"));
        if (args.flag("quick")) {
            options.warmupIterations(1)
                    .measurementIterations(2)
                    .param("window", "96", "720")
                    .param("width", "128");
        }
        new org.openjdk.jmh.runner.Runner(options.build()).run();
        return 0;
    }

    /** The peer's figures for one row. */
    record PeerRow(double torchWindowsPerSec, double speedup, double maxRelError) {}

    private static String key(KernelBench.Row row) {
        return row.window() + "/" + row.hidden() + "/" + row.batch();
    }

    /** Runs the PyTorch peer once per (W, H) on the same model and windows as our rows. */
    private static Map<String, PeerRow> runPeer(
            List<KernelBench.Row> rows,
            List<Integer> batches,
            double seconds,
            int threads,
            Console console)
            throws Exception {
        TorchPeer peer = TorchPeer.locate(threads);
        Map<String, PeerRow> result = new LinkedHashMap<>();
        Map<String, List<KernelBench.Row>> byModel = new LinkedHashMap<>();
        for (KernelBench.Row row : rows) {
            byModel.computeIfAbsent(row.window() + "/" + row.hidden(), k -> new ArrayList<>())
                    .add(row);
        }
        for (List<KernelBench.Row> group : byModel.values()) {
            int window = group.get(0).window();
            int width = group.get(0).hidden();
            // enough windows to compare, few enough that a slow peer checks them in seconds
            int count = window >= 2048 ? 8 : 64;
            console.info("  PyTorch peer: W=" + window + " H=N=" + width + " batches=" + batches);
            io.blurstream.model.BlurModel model = KernelBench.model(window, width);
            float[] windows = KernelBench.windows(count, window, 11);
            io.blurstream.model.Forecaster forecaster = new io.blurstream.model.Forecaster(model);
            float[] ours = new float[count * forecaster.horizon() * forecaster.channels()];
            forecaster.forecast(windows, 0, count, ours, 0, forecaster.newWorkspace(count));
            TorchPeer.Result torch = peer.run(model, windows, count, batches, seconds);
            double error = TorchPeer.relativeError(ours, torch.forecasts());
            for (KernelBench.Row row : group) {
                double rate = torch.windowsPerSec().getOrDefault(row.batch(), Double.NaN);
                result.put(key(row), new PeerRow(rate, row.windowsPerSec() / rate, error));
            }
        }
        return result;
    }

    /** Time per window relative to the W=96 row of the same width and batch, if measured. */
    private static String relativeCost(KernelBench.Row row) {
        return Double.isNaN(row.costVsW96())
                ? "-"
                : String.format(Locale.ROOT, "%.1fx", row.costVsW96());
    }

    private static Map<String, Object> summary(
            KernelBench.GemmRow gemm,
            List<KernelBench.Row> rows,
            int threads,
            int rounds,
            int jvms,
            Double steal,
            Map<String, PeerRow> peerRows) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "bench kernel");
        json.put("kernelMode", KernelMode.active().name());
        json.put("threads", threads);
        json.put("rounds", rounds);
        json.put("jvms", jvms);
        json.put("stealCores", steal);
        json.put("gemm", gemm);
        List<Map<String, Object>> list = new ArrayList<>();
        for (KernelBench.Row row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("W", row.window());
            r.put("H", row.hidden());
            r.put("N", row.state());
            r.put("L", row.layers());
            r.put("batch", row.batch());
            r.put("windowsPerSec", row.windowsPerSec());
            r.put("gflops", row.gflops());
            r.put("microsPerWindow", row.microsPerWindow());
            if (!Double.isNaN(row.costVsW96())) {
                r.put("costVsW96", row.costVsW96());
            }
            PeerRow p = peerRows.get(key(row));
            if (p != null) {
                r.put("torchWindowsPerSec", p.torchWindowsPerSec());
                r.put("speedup", p.speedup());
                r.put("maxRelError", p.maxRelError());
            }
            list.add(r);
        }
        json.put("rows", list);
        return json;
    }

    private static void positive(String option, List<Integer> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException(
                    "--" + option + " needs positive integers, got " + values);
        }
    }
}
