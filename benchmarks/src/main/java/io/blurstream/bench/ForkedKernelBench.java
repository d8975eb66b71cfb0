package io.blurstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs {@link KernelBench} with each (window, width) in a JVM of its own, with this JVM's options,
 * and interleaves their measurements.
 *
 * <p>A JVM per shape: in one JVM the first shape's profile steers how C2 compiles the shared
 * kernels for all later shapes (measured: up to 20% apart), while a deployed job serves one model;
 * a JVM per shape measures what such a job sees.
 *
 * <p>Interleaved: every shape's JVM stays up, and the measuring time of each row is cut into slices
 * taken in turns, every shape and batch one slice per pass. The hosts of these machines change
 * speed by up to a fifth for a minute at a time; measured one shape after the other, a slow minute
 * fell on one window length and not the next, and the cost of W = 4096 against W = 96 moved by as
 * much. Taken in turns, a slow spell hits the rows alike, and each row's median over its slices
 * leaves it out. Only one JVM measures at a time; the others wait for their turn.
 *
 * <p>Several JVMs per shape: the same shape runs at different speeds in different JVMs, steadily
 * within each (W = 4096, H = 64: 127 to 190 windows/s on one host, in JVMs measured in turns), and
 * by as much within one JVM across full garbage collections. With {@code --jvms 3} a row is the
 * median over three JVMs' slices, a typical JVM rather than a lucky or unlucky one.
 */
final class ForkedKernelBench {

    private ForkedKernelBench() {}

    /** The rows, and the calls per second of the parent's own call. */
    record Measured(List<KernelBench.Row> rows, double parentCallsPerSec) {}

    /**
     * The rows of every (window, width, batch), in that order of widths, windows, batches: each the
     * median of {@code rounds × }{@link KernelBench#SLICES} slices, which together last {@code
     * rounds × seconds}, after a warm-up of {@code seconds / 2}, in each of {@code jvms} JVMs per
     * shape (the median over all of their slices). {@code parentCall} is measured in this JVM the
     * same way, one slice per pass, while the children wait: the GEMM row, which a slow spell would
     * otherwise hit alone.
     */
    static Measured run(
            List<Integer> windows,
            List<Integer> widths,
            List<Integer> batches,
            double seconds,
            int threads,
            int rounds,
            int jvms,
            Runnable parentCall,
            Consumer<String> progress)
            throws IOException, InterruptedException {
        // shape-major: the JVMs of one shape sit next to each other
        List<Shape> shapes = new ArrayList<>();
        try {
            for (int width : widths) {
                for (int window : windows) {
                    progress.accept(
                            "W="
                                    + window
                                    + " H=N="
                                    + width
                                    + (jvms == 1 ? " (a JVM of its own)" : " (" + jvms + " JVMs)"));
                    for (int j = 0; j < jvms; j++) {
                        shapes.add(Shape.start(window, width, batches, threads));
                    }
                }
            }
            for (Shape shape : shapes) {
                for (int b = 0; b < batches.size(); b++) {
                    shape.warm(b, seconds / 2);
                }
            }
            KernelBench.warmUntilCompiled(seconds / 2, parentCall);
            int passes = rounds * KernelBench.SLICES;
            double sliceSeconds = seconds / KernelBench.SLICES;
            int shapeCount = shapes.size() / jvms;
            double[][] rates = new double[shapeCount * batches.size()][passes * jvms];
            double[] parentRates = new double[passes];
            for (int pass = 0; pass < passes; pass++) {
                progress.accept("pass " + (pass + 1) + " of " + passes + ": every row one slice");
                parentRates[pass] = KernelBench.timeLoop(sliceSeconds, parentCall);
                for (int s = 0; s < shapes.size(); s++) {
                    int shape = s / jvms;
                    int sample = pass * jvms + s % jvms;
                    for (int b = 0; b < batches.size(); b++) {
                        rates[shape * batches.size() + b][sample] =
                                shapes.get(s).slice(b, sliceSeconds);
                    }
                }
            }
            List<KernelBench.Row> rows = new ArrayList<>();
            for (int s = 0; s < shapeCount; s++) {
                Shape shape = shapes.get(s * jvms);
                for (int b = 0; b < batches.size(); b++) {
                    rows.add(
                            KernelBench.row(
                                    shape.window,
                                    shape.width,
                                    batches.get(b),
                                    median(rates[s * batches.size() + b])));
                    if (jvms > 1) {
                        progress.accept(
                                "W="
                                        + shape.window
                                        + " H=N="
                                        + shape.width
                                        + " batch="
                                        + batches.get(b)
                                        + ": windows/s per JVM "
                                        + perJvm(rates[s * batches.size() + b], jvms));
                    }
                }
            }
            // sample i of every row: the same pass and the same JVM index of its shape
            return new Measured(
                    KernelBench.withCosts(rows, Arrays.asList(rates)), median(parentRates));
        } finally {
            for (Shape shape : shapes) {
                shape.close();
            }
        }
    }

    /**
     * Each JVM's median over its slices, as text ({@code 84.1 / 67.2 / 85.3}): a JVM that runs a
     * shape steadily slower than its twins shows up here, and not in the row's median.
     *
     * @param samples pass-major: sample {@code pass × jvms + j} came from JVM {@code j}
     */
    static String perJvm(double[] samples, int jvms) {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < jvms; j++) {
            double[] own = new double[samples.length / jvms];
            for (int pass = 0; pass < own.length; pass++) {
                own[pass] = samples[pass * jvms + j];
            }
            text.append(j == 0 ? "" : " / ")
                    .append(String.format(Locale.ROOT, "%.1f", median(own)));
        }
        return text.toString();
    }

    /** The lower middle for an even count: a figure some slice actually measured. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    /** One shape's JVM, serving slices ({@link KernelBench#serve}). */
    private static final class Shape implements AutoCloseable {
        private final int window;
        private final int width;
        private final Process process;
        private final PrintStream requests;
        private final BufferedReader answers;

        private Shape(int window, int width, Process process) {
            this.window = window;
            this.width = width;
            this.process = process;
            this.requests =
                    new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.answers =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Shape start(int window, int width, List<Integer> batches, int threads)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                // a flight recording of the parent must not be overwritten by its children
                if (!option.startsWith("-XX:StartFlightRecording")) {
                    command.add(option);
                }
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.blurstream.cli.Blurstream");
            command.addAll(
                    List.of(
                            "bench",
                            "kernel",
                            "--serve",
                            "--windows",
                            Integer.toString(window),
                            "--widths",
                            Integer.toString(width),
                            "--batches",
                            KernelBench.commaSeparated(batches),
                            "--threads",
                            Integer.toString(threads)));
            Process process =
                    new ProcessBuilder(command)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            Shape shape = new Shape(window, width, process);
            String first = shape.answers.readLine();
            if (!"ready".equals(first)) {
                throw shape.failed("did not start (said " + first + ")");
            }
            return shape;
        }

        /** Windows/s over one slice of about {@code seconds} at the batch of that index. */
        double slice(int batchIndex, double seconds) throws IOException, InterruptedException {
            return request("slice", batchIndex, seconds);
        }

        /** At least {@code seconds} of calls, until the JIT compilers are done. */
        void warm(int batchIndex, double seconds) throws IOException, InterruptedException {
            request("warm", batchIndex, seconds);
        }

        private double request(String what, int batchIndex, double seconds)
                throws IOException, InterruptedException {
            requests.println(
                    what + " " + batchIndex + " " + String.format(Locale.ROOT, "%s", seconds));
            String answer = answers.readLine();
            if (answer == null) {
                throw failed("stopped");
            }
            return Double.parseDouble(answer);
        }

        private IllegalStateException failed(String what) throws InterruptedException {
            process.destroy();
            return new IllegalStateException(
                    "benchmark JVM for W="
                            + window
                            + " H="
                            + width
                            + " "
                            + what
                            + "; exit code "
                            + process.waitFor()
                            + " (run with --in-process to see its error)");
        }

        @Override
        public void close() throws InterruptedException {
            requests.close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
