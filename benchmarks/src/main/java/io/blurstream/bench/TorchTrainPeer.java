package io.blurstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the eager-PyTorch training peer {@code benchmarks/peers/blur_torch_train.py}: the same
 * network, data and optimiser as {@link TrainBench}, timed the same way (warm-up steps, then mean
 * time per step times the steps of an epoch).
 */
final class TorchTrainPeer {

    /** Where the peer script lives, relative to the project root. */
    static final String SCRIPT = "benchmarks/peers/blur_torch_train.py";

    /** How the peer computes the recurrence: its {@code --scan} values. */
    static final List<String> SCANS = List.of("conv", "fft", "loop");

    private final String python;
    private final Path script;
    private final int threads;

    /** What one peer run reported: the PyTorch version and the timing, as the Java side's. */
    record Result(String torchVersion, TrainBench.Result timing) {}

    private TorchTrainPeer(String python, Path script, int threads) {
        this.python = python;
        this.script = script;
        this.threads = threads;
    }

    /**
     * Finds Python with PyTorch and the peer script.
     *
     * @throws IllegalStateException saying what is missing and how to install it
     */
    static TorchTrainPeer locate(int threads) throws IOException, InterruptedException {
        Path script = TorchPeer.findScript(SCRIPT);
        return new TorchTrainPeer(TorchPeer.pythonWithTorch(), script, threads);
    }

    /**
     * Trains for {@code warmupSteps + steps} steps ({@code steps = 0}: the whole epoch) and times
     * all but the warm-up. The peer's progress goes to this process's stderr.
     */
    Result run(Path dataFile, String scan, int steps, int warmupSteps)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                python,
                                script.toString(),
                                "--data",
                                dataFile.toString(),
                                "--threads",
                                Integer.toString(threads),
                                "--scan",
                                scan,
                                "--warmup-steps",
                                Integer.toString(warmupSteps)));
        if (steps > 0) {
            command.addAll(List.of("--max-steps", Integer.toString(steps)));
        }
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    "the PyTorch training peer failed with exit code " + exit + ": " + command);
        }
        JsonNode json = TorchPeer.lastJsonLine(stdout, command);
        return new Result(
                json.path("torch").asText("?"),
                new TrainBench.Result(
                        json.path("stepsPerEpoch").asInt(),
                        json.path("warmupSteps").asInt(),
                        json.path("stepsTimed").asInt(),
                        json.path("msPerStep").asDouble(),
                        json.path("secondsPerEpoch").asDouble(),
                        nullable(json.path("epochWallSeconds")),
                        json.path("firstLoss").asDouble(),
                        json.path("finalLoss").asDouble(),
                        json.path("lossSteps").asInt(),
                        nullable(json.path("foreignCpuCores"))));
    }

    private static Double nullable(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }
}
