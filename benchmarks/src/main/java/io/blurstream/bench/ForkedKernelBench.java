package io.blurstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs {@link KernelBench} for each (window, width) in a fresh JVM with this JVM's options. In one
 * JVM the first shape's profile steers how C2 compiles the shared kernels for all later shapes
 * (measured: up to 20% apart), while a deployed job serves one model; a fork per shape measures
 * what such a job sees.
 */
final class ForkedKernelBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ForkedKernelBench() {}

    static List<KernelBench.Row> run(
            List<Integer> windows,
            List<Integer> widths,
            List<Integer> batches,
            double seconds,
            int threads,
            Consumer<String> progress)
            throws IOException, InterruptedException {
        List<KernelBench.Row> rows = new ArrayList<>();
        for (int width : widths) {
            for (int window : windows) {
                progress.accept("W=" + window + " H=N=" + width + " (fresh JVM)");
                rows.addAll(runChild(window, width, batches, seconds, threads));
            }
        }
        return rows;
    }

    private static List<KernelBench.Row> runChild(
            int window, int width, List<Integer> batches, double seconds, int threads)
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
                        "--in-process",
                        "--json",
                        "--windows",
                        Integer.toString(window),
                        "--widths",
                        Integer.toString(width),
                        "--batches",
                        KernelBench.commaSeparated(batches),
                        "--seconds",
                        String.format(Locale.ROOT, "%s", seconds),
                        "--threads",
                        Integer.toString(threads)));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String[] lines = stdout.strip().split("\n");
        if (exit != 0 || lines.length == 0) {
            throw new IllegalStateException(
                    "benchmark JVM for W="
                            + window
                            + " H="
                            + width
                            + " failed with exit code "
                            + exit
                            + ": "
                            + stdout.strip());
        }
        List<KernelBench.Row> rows = new ArrayList<>();
        for (JsonNode row : JSON.readTree(lines[lines.length - 1]).get("rows")) {
            rows.add(
                    new KernelBench.Row(
                            row.get("W").asInt(),
                            row.get("H").asInt(),
                            row.get("N").asInt(),
                            row.get("L").asInt(),
                            row.get("batch").asInt(),
                            row.get("windowsPerSec").asDouble(),
                            row.get("gflops").asDouble(),
                            row.get("microsPerWindow").asDouble()));
        }
        return rows;
    }
}
