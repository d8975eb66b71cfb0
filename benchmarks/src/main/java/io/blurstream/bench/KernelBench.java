package io.blurstream.bench;

import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.Forecaster;
import io.blurstream.model.ModelInitializer;
import io.blurstream.model.Scaler;
import io.blurstream.model.kernel.Gemm;
import io.blurstream.model.kernel.WorkerPool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Measures BLUR inference throughput on the calling thread: windows per second and effective
 * GFLOP/s (the three dense products and the scans of every block, plus encoder and head; the
 * element-wise work is not counted) over a grid of window lengths, widths and batch sizes, and the
 * raw GEMM rate at the shape that dominates the W=96 model.
 */
public final class KernelBench {

    /** Channels of the benchmark windows (ETTh-like). */
    public static final int CHANNELS = 7;

    /** Forecast horizon of the benchmark model. */
    public static final int HORIZON = 96;

    /** Blocks of the benchmark model. */
    public static final int LAYERS = 2;

    /** The window length other lengths' cost is given against. */
    public static final int BASE_WINDOW = 96;

    /**
     * One measured configuration.
     *
     * @param costVsW96 time per window over that of the {@link #BASE_WINDOW} row of the same width
     *     and batch ({@link #withCosts}); NaN when that row was not measured
     */
    public record Row(
            int window,
            int hidden,
            int state,
            int layers,
            int batch,
            double windowsPerSec,
            double gflops,
            double microsPerWindow,
            double costVsW96) {

        Row withCostVsW96(double cost) {
            return new Row(
                    window,
                    hidden,
                    state,
                    layers,
                    batch,
                    windowsPerSec,
                    gflops,
                    microsPerWindow,
                    cost);
        }
    }

    /** The GEMM measurement: {@code m×k · k×n}. */
    public record GemmRow(int m, int k, int n, double gflops) {}

    private final double seconds;
    private final int threads;
    private final Consumer<String> progress;

    /**
     * @param seconds measuring time per configuration (after a warm-up of half that, at least one
     *     call)
     * @param threads 1 for the calling thread only, more for a {@link WorkerPool}
     * @param progress receives one line per configuration as it starts
     */
    public KernelBench(double seconds, int threads, Consumer<String> progress) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
        }
        this.seconds = seconds;
        this.threads = threads;
        this.progress = progress;
    }

    /** The benchmark model for one configuration: mixing mode, random ring-initialised weights. */
    public static BlurModel model(int window, int width) {
        BlurConfig config =
                BlurConfig.builder()
                        .window(window)
                        .horizon(HORIZON)
                        .channelCount(CHANNELS)
                        .hidden(width)
                        .state(width)
                        .layers(LAYERS)
                        .build();
        return new BlurModel(
                "bench-w" + window + "-h" + width,
                1,
                Instant.parse("2026-01-01T00:00:00Z"),
                config,
                Scaler.identity(CHANNELS),
                null,
                ModelInitializer.initialize(config, 42));
    }

    /** Random windows in the model's units. */
    public static float[] windows(int count, int window, long seed) {
        Random random = new Random(seed);
        float[] data = new float[count * window * CHANNELS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return data;
    }

    public List<Row> run(List<Integer> windows, List<Integer> widths, List<Integer> batches) {
        if (threads == 1) {
            return run(windows, widths, batches, null);
        }
        try (WorkerPool pool = new WorkerPool(threads)) {
            return run(windows, widths, batches, pool);
        }
    }

    private List<Row> run(
            List<Integer> windows, List<Integer> widths, List<Integer> batches, WorkerPool pool) {
        List<Row> rows = new ArrayList<>();
        for (int width : widths) {
            for (int window : windows) {
                Forecaster forecaster = new Forecaster(model(window, width));
                for (int batch : batches) {
                    progress.accept(
                            "W=" + window + " H=N=" + width + " L=" + LAYERS + " batch=" + batch);
                    rows.add(measure(forecaster, window, width, batch, pool));
                }
            }
        }
        return rows;
    }

    private Row measure(Forecaster forecaster, int window, int width, int batch, WorkerPool pool) {
        Runnable call = forecastCall(forecaster, window, batch, pool);
        warmUntilCompiled(seconds / 2, call);
        return row(window, width, batch, medianRate(seconds, call) * batch, forecaster);
    }

    /** One forecast call of {@code batch} random windows, with its own workspace. */
    private static Runnable forecastCall(
            Forecaster forecaster, int window, int batch, WorkerPool pool) {
        Forecaster.Workspace workspace =
                pool == null
                        ? forecaster.newWorkspace(batch)
                        : forecaster.newWorkspace(batch, pool);
        float[] input = windows(batch, window, 7);
        float[] output = new float[batch * forecaster.horizon() * forecaster.channels()];
        return () -> forecaster.forecast(input, 0, batch, output, 0, workspace);
    }

    /**
     * Serves timed slices of one (W, H) shape to a parent process ({@link ForkedKernelBench}) over
     * lines of text: prints {@code ready} once the forecaster is built, then answers each request
     * {@code slice BATCH_INDEX SECONDS} with the windows/s of a slice of that length at {@code
     * batches.get(BATCH_INDEX)}, and {@code warm BATCH_INDEX SECONDS} likewise after warming up
     * ({@link #warmUntilCompiled}), until its input ends.
     */
    public void serve(
            int window,
            int width,
            List<Integer> batches,
            java.io.BufferedReader requests,
            java.io.PrintStream answers)
            throws java.io.IOException {
        WorkerPool pool = threads == 1 ? null : new WorkerPool(threads);
        try {
            Forecaster forecaster = new Forecaster(model(window, width));
            List<Runnable> calls = new ArrayList<>();
            for (int batch : batches) {
                calls.add(forecastCall(forecaster, window, batch, pool));
            }
            answers.println("ready");
            answers.flush();
            String line;
            while ((line = requests.readLine()) != null) {
                String[] request = line.trim().split(" ");
                int index = Integer.parseInt(request[1]);
                double requestSeconds = Double.parseDouble(request[2]);
                double callsPerSec =
                        request[0].equals("warm")
                                ? warmUntilCompiled(requestSeconds, calls.get(index))
                                : timeLoop(requestSeconds, calls.get(index));
                answers.println(callsPerSec * batches.get(index));
                answers.flush();
            }
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** How long the JIT compilers must have been idle for a warm-up to end. */
    private static final double QUIET_SECONDS = 0.5;

    /** The longest warm-up: a JVM whose compilers never settle is measured as it is. */
    private static final double MAX_WARMUP_SECONDS = 30;

    /**
     * Runs {@code call} for at least {@code seconds} and until the JIT compilers have compiled
     * nothing for {@link #QUIET_SECONDS}; returns the calls per second of the last stretch. A JVM
     * that waits for its turn keeps compiling in the background, on the core another JVM is
     * measuring on, unless its code was compiled before: a fixed second of warm-up left the Vector
     * API kernels of a fresh JVM running at 1% of their speed.
     */
    static double warmUntilCompiled(double seconds, Runnable call) {
        java.lang.management.CompilationMXBean compiler =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        double rate = timeLoop(seconds, call);
        long compiled = compiler.getTotalCompilationTime();
        while ((System.nanoTime() - start) / 1e9 < MAX_WARMUP_SECONDS) {
            rate = timeLoop(QUIET_SECONDS, call);
            long now = compiler.getTotalCompilationTime();
            if (now == compiled) {
                break;
            }
            compiled = now;
        }
        return rate;
    }

    /** The row of one shape and batch measured at {@code windowsPerSec}. */
    static Row row(int window, int width, int batch, double windowsPerSec) {
        return row(window, width, batch, windowsPerSec, new Forecaster(model(window, width)));
    }

    private static Row row(
            int window, int width, int batch, double windowsPerSec, Forecaster forecaster) {
        double flopsPerWindow = forecaster.flopsPerWindow();
        return new Row(
                window,
                width,
                width,
                LAYERS,
                batch,
                windowsPerSec,
                windowsPerSec * flopsPerWindow / 1e9,
                1e6 / windowsPerSec,
                Double.NaN);
    }

    /** GFLOP/s of {@code C[m×n] = A[m×k]·B[k×n]}. */
    public GemmRow gemm(int m, int k, int n) {
        progress.accept(gemmName(m, k, n));
        Runnable call = gemmCall(m, k, n);
        warmUntilCompiled(seconds / 2, call);
        return gemmRow(m, k, n, medianRate(seconds, call));
    }

    /** How the GEMM row is shown: {@code GEMM 96x128 * 128x512}. */
    static String gemmName(int m, int k, int n) {
        return "GEMM " + m + "x" + k + " * " + k + "x" + n;
    }

    /** One product {@code C[m×n] = A[m×k]·B[k×n]} of random matrices. */
    static Runnable gemmCall(int m, int k, int n) {
        Random random = new Random(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        return () -> Gemm.multiply(m, n, k, a, b, c);
    }

    static GemmRow gemmRow(int m, int k, int n, double callsPerSec) {
        return new GemmRow(m, k, n, callsPerSec * Gemm.flops(m, n, k) / 1e9);
    }

    /**
     * Each configuration's median over rounds of the same grid (the rows of every round in the same
     * order), with its cost against W = 96 paired by round ({@link #withCosts}).
     */
    static List<Row> medians(List<List<Row>> rounds) {
        List<Row> first = rounds.get(0);
        List<Row> result = new ArrayList<>(first.size());
        List<double[]> samples = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            double[] rates = new double[rounds.size()];
            for (int r = 0; r < rounds.size(); r++) {
                rates[r] = rounds.get(r).get(i).windowsPerSec();
            }
            samples.add(rates);
            double rate = ForkedKernelBench.median(rates);
            Row row = first.get(i);
            double flopsPerWindow = row.gflops() * 1e9 / row.windowsPerSec();
            result.add(
                    new Row(
                            row.window(),
                            row.hidden(),
                            row.state(),
                            row.layers(),
                            row.batch(),
                            rate,
                            rate * flopsPerWindow / 1e9,
                            1e6 / rate,
                            Double.NaN));
        }
        return withCosts(result, samples);
    }

    /**
     * The rows with their cost against the {@link #BASE_WINDOW} row of the same width and batch:
     * the median over samples of the ratio of the two rows' rates, sample {@code i} of one row
     * paired with sample {@code i} of the other, which was measured seconds apart in the same pass.
     * The host changes speed for a minute at a time and a slow spell slows the long window more
     * than the short one (its working set leaves the cache shared with the neighbours); a ratio of
     * the two medians could pair one row's slow slices with the other's fast ones, a paired ratio
     * compares slices that saw the same host.
     *
     * @param samples per row, in the rows' order, its rates in the order measured
     */
    static List<Row> withCosts(List<Row> rows, List<double[]> samples) {
        List<Row> result = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double cost = Double.NaN;
            for (int b = 0; b < rows.size(); b++) {
                Row base = rows.get(b);
                if (base.window() == BASE_WINDOW
                        && base.hidden() == row.hidden()
                        && base.batch() == row.batch()) {
                    cost = pairedRatio(samples.get(b), samples.get(i));
                }
            }
            result.add(row.withCostVsW96(cost));
        }
        return result;
    }

    /** The median of {@code numerator[i] / denominator[i]}. */
    static double pairedRatio(double[] numerator, double[] denominator) {
        double[] ratios = new double[numerator.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = numerator[i] / denominator[i];
        }
        return ForkedKernelBench.median(ratios);
    }

    /** Measuring slices per configuration; the median slice is reported. */
    static final int SLICES = 5;

    /**
     * Calls per second as the median of {@link #SLICES} slices of {@code seconds / SLICES} each: a
     * slice that a neighbour on a shared machine slowed down does not move the median.
     */
    static double medianRate(double seconds, Runnable call) {
        double[] rates = new double[SLICES];
        for (int i = 0; i < SLICES; i++) {
            rates[i] = timeLoop(seconds / SLICES, call);
        }
        java.util.Arrays.sort(rates);
        return rates[SLICES / 2];
    }

    /** Runs {@code call} for about {@code seconds} (at least once); returns calls per second. */
    static double timeLoop(double seconds, Runnable call) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            call.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return calls / (elapsed / 1e9);
    }

    /** {@code 1,64}: a list as the command-line tools take it. */
    static String commaSeparated(List<Integer> values) {
        StringBuilder text = new StringBuilder();
        for (int v : values) {
            text.append(text.length() == 0 ? "" : ",").append(v);
        }
        return text.toString();
    }
}
