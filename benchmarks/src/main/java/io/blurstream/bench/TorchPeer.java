package io.blurstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.model.BlurModel;
import io.blurstream.model.io.ModelCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent eager-PyTorch implementation in {@code benchmarks/peers/blur_torch.py} on
 * our model file: it forecasts the same windows (for the correctness cross-check) and times itself
 * at the requested batch sizes.
 */
public final class TorchPeer {

    /** Where the peer script lives, relative to the project root. */
    static final String SCRIPT = "benchmarks/peers/blur_torch.py";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final Path script;
    private final int threads;

    /** What the peer produced for one model. */
    public record Result(
            String torchVersion, float[] forecasts, Map<Integer, Double> windowsPerSec) {}

    private TorchPeer(String python, Path script, int threads) {
        this.python = python;
        this.script = script;
        this.threads = threads;
    }

    /**
     * Finds Python with PyTorch and the peer script.
     *
     * @throws IllegalStateException saying what is missing and how to install it
     */
    public static TorchPeer locate(int threads) throws IOException, InterruptedException {
        Path script = findScript(SCRIPT);
        return new TorchPeer(pythonWithTorch(), script, threads);
    }

    /**
     * The Python interpreter that imports PyTorch: {@code /usr/bin/python3} if it exists (Debian's
     * python3-torch lives in the system interpreter, which may not be first on PATH), else {@code
     * python3}.
     *
     * @throws IllegalStateException saying how to install PyTorch if the import fails
     */
    static String pythonWithTorch() throws IOException, InterruptedException {
        String python =
                Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process probe =
                new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!probe.waitFor(120, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            throw new IllegalStateException(
                    "the PyTorch peer needs PyTorch for "
                            + python
                            + ", which failed to import it: install Debian's package with"
                            + " `sudo apt-get install --no-install-recommends python3-torch"
                            + " libopenblas0-openmp`"
                            + " (output: "
                            + output.strip()
                            + ")");
        }
        return python;
    }

    /**
     * A file of the project checkout, found under {@code -Dblurstream.home} or the working
     * directory and its parents.
     *
     * @param relative the path from the project root, e.g. {@value #SCRIPT}
     */
    static Path findScript(String relative) {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("blurstream.home");
        if (home != null) {
            candidates.add(Path.of(home));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir);
        }
        for (Path root : candidates) {
            Path script = root.resolve(relative);
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException(
                "cannot find "
                        + relative
                        + " (looked in -Dblurstream.home and above the working"
                        + " directory); run from the project checkout");
    }

    /** The JSON object on the last line of a peer's stdout. */
    static JsonNode lastJsonLine(String stdout, List<String> command) throws IOException {
        String[] lines = stdout.strip().split("\n");
        String last = lines[lines.length - 1];
        if (!last.startsWith("{")) {
            throw new IllegalStateException(
                    "the peer's last line of output is not JSON: '" + last + "' from " + command);
        }
        return JSON.readTree(last);
    }

    /**
     * Forecasts {@code count} windows with the peer and times it at {@code batches}.
     *
     * @param windows {@code count × W × C} in original units
     */
    public Result run(
            BlurModel model, float[] windows, int count, List<Integer> batches, double seconds)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("blurstream-peer");
        try {
            Path modelFile = dir.resolve("model.json");
            Path inputs = dir.resolve("inputs.f32");
            Path outputs = dir.resolve("outputs.f32");
            ModelCodec.write(model, modelFile);
            Files.write(inputs, littleEndian(windows));
            List<String> command =
                    List.of(
                            python,
                            script.toString(),
                            "--model",
                            modelFile.toString(),
                            "--inputs",
                            inputs.toString(),
                            "--count",
                            Integer.toString(count),
                            "--outputs",
                            outputs.toString(),
                            "--time-batches",
                            KernelBench.commaSeparated(batches),
                            "--seconds",
                            String.format(Locale.ROOT, "%.2f", seconds),
                            "--threads",
                            Integer.toString(threads));
            Process process =
                    new ProcessBuilder(command)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            String stdout =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(
                        "the PyTorch peer failed with exit code " + exit + ": " + command);
            }
            JsonNode summary = lastJsonLine(stdout, command);
            Map<Integer, Double> rates = new TreeMap<>();
            summary.get("windowsPerSec")
                    .fields()
                    .forEachRemaining(
                            e -> rates.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
            float[] forecasts = fromLittleEndian(Files.readAllBytes(outputs));
            return new Result(summary.path("torchVersion").asText("?"), forecasts, rates);
        } finally {
            WorkFiles.deleteTree(dir);
        }
    }

    /** {@code max |ours - peer| / max |peer|}: the relative error of the whole forecast block. */
    public static double relativeError(float[] ours, float[] peer) {
        if (ours.length != peer.length) {
            throw new IllegalStateException(
                    "the peer returned " + peer.length + " values, expected " + ours.length);
        }
        double maxDiff = 0;
        double maxPeer = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) ours[i] - peer[i]));
            maxPeer = Math.max(maxPeer, Math.abs((double) peer[i]));
        }
        return maxPeer == 0 ? maxDiff : maxDiff / maxPeer;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static float[] fromLittleEndian(byte[] bytes) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
