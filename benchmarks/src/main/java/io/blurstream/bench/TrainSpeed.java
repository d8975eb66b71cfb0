package io.blurstream.bench;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Console;
import io.blurstream.cli.Table;
import io.blurstream.training.data.DatasetCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code blurstream bench train}: seconds per training epoch of the Java trainer ({@link
 * TrainBench}) and, with {@code --peer torch}, of the eager-PyTorch peer ({@link TorchTrainPeer})
 * at the same thread count. With several rounds the two alternate (Java, PyTorch, Java, PyTorch),
 * so a neighbour's load falls on both sides alike; the summary takes the median per side.
 */
final class TrainSpeed {

    static final List<String> OPTIONS =
            List.of("peer", "threads", "steps", "warmup-steps", "rounds", "scans", "json");

    /**
     * What to run.
     *
     * @param peer whether to run the PyTorch peer too
     * @param threads threads of each side
     * @param steps steps to time per run after the warm-up; 0 for the rest of the epoch
     * @param warmupSteps untimed steps at the start of each run
     * @param rounds how many times to run each side, alternating
     * @param scans the peer's {@code --scan} variants to run, each once per round
     */
    record Settings(
            boolean peer, int threads, int steps, int warmupSteps, int rounds, List<String> scans) {

        static Settings from(Arguments args) {
            args.checkOptions(OPTIONS);
            args.checkPositionals(1);
            String peerName = args.string("peer", "");
            if (!peerName.isEmpty() && !peerName.equals("torch")) {
                throw new IllegalArgumentException(
                        "--peer supports 'torch', got '" + peerName + "'");
            }
            boolean peer = peerName.equals("torch");
            int threads = args.integer("threads", 2);
            int steps = args.integer("steps", 0);
            int warmupSteps = args.integer("warmup-steps", 5);
            int rounds = args.integer("rounds", 1);
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            if (steps < 0) {
                throw new IllegalArgumentException(
                        "--steps must be >= 0 (0: the whole epoch), got " + steps);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException(
                        "--warmup-steps must be >= 0, got " + warmupSteps);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
            }
            if (args.has("scans") && !peer) {
                throw new IllegalArgumentException("--scans needs --peer torch");
            }
            List<String> scans =
                    Arrays.stream(args.string("scans", "conv").split(","))
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .toList();
            if (scans.isEmpty() || !TorchTrainPeer.SCANS.containsAll(scans)) {
                throw new IllegalArgumentException(
                        "--scans takes a comma-separated list of "
                                + String.join(", ", TorchTrainPeer.SCANS)
                                + ", got '"
                                + args.string("scans", "")
                                + "'");
            }
            if (scans.stream().distinct().count() != scans.size()) {
                throw new IllegalArgumentException("--scans names a variant twice: " + scans);
            }
            return new Settings(peer, threads, steps, warmupSteps, rounds, scans);
        }
    }

    /** One timed run of either side, for the table and the JSON. */
    record Run(
            int round,
            String trainer,
            String scan,
            double msPerStep,
            double secondsPerEpoch,
            Double epochWallSeconds,
            double firstLoss,
            double finalLoss,
            Double foreignCpuCores) {

        static Run of(int round, String scan, TrainBench.Result timing) {
            return new Run(
                    round,
                    scan == null ? "blurstream" : "pytorch",
                    scan,
                    timing.msPerStep(),
                    timing.secondsPerEpoch(),
                    timing.epochWallSeconds(),
                    timing.firstLoss(),
                    timing.finalLoss(),
                    timing.foreignCpuCores());
        }
    }

    private TrainSpeed() {}

    /**
     * The medians over the rounds.
     *
     * @param timing the last Java run, for the step counts
     * @param javaSeconds Java seconds per epoch
     * @param torchByScan PyTorch seconds per epoch per scan variant; empty without the peer
     * @param bestScan the fastest PyTorch variant, or {@code null} without the peer
     * @param torchVersion as the peer reported it, or {@code null}
     */
    record Summary(
            TrainBench.Result timing,
            double javaSeconds,
            Map<String, Double> torchByScan,
            String bestScan,
            String torchVersion) {

        static Summary of(List<Run> runs, TrainBench.Result timing, String torchVersion) {
            Map<String, Double> torchByScan = new LinkedHashMap<>();
            String bestScan = null;
            for (Run run : runs) {
                if (run.scan() != null && !torchByScan.containsKey(run.scan())) {
                    double seconds = median(runs, run.scan());
                    torchByScan.put(run.scan(), seconds);
                    if (bestScan == null || seconds < torchByScan.get(bestScan)) {
                        bestScan = run.scan();
                    }
                }
            }
            return new Summary(timing, median(runs, null), torchByScan, bestScan, torchVersion);
        }

        /** PyTorch seconds per epoch of the fastest variant, or {@code null} without the peer. */
        Double torchSeconds() {
            return bestScan == null ? null : torchByScan.get(bestScan);
        }

        double javaMsPerStep() {
            return javaSeconds * 1000 / timing.stepsPerEpoch();
        }
    }

    static int run(Arguments args, Console console) throws Exception {
        Settings settings = Settings.from(args);
        // find the peer before the Java side runs, so a missing PyTorch fails at once
        TorchTrainPeer peer = settings.peer() ? TorchTrainPeer.locate(settings.threads()) : null;
        Path dataDirectory = DatasetCatalog.locateDataDirectory();
        console.info(
                format(
                        "bench train: %s, horizon %d, H=N=%d, L=%d, %d threads%s; %s",
                        TrainBench.DATASET,
                        TrainBench.HORIZON,
                        TrainBench.WIDTH,
                        TrainBench.LAYERS,
                        settings.threads(),
                        peer == null ? "" : " on each side, PyTorch scans " + settings.scans(),
                        loadAverage()));
        List<Run> runs = new ArrayList<>();
        TrainBench.Result java = null;
        String torchVersion = null;
        for (int round = 1; round <= settings.rounds(); round++) {
            java =
                    TrainBench.run(
                            dataDirectory,
                            settings.threads(),
                            settings.steps(),
                            settings.warmupSteps(),
                            console::info);
            runs.add(Run.of(round, null, java));
            console.info(describe(runs.get(runs.size() - 1)));
            for (String scan : peer == null ? List.<String>of() : settings.scans()) {
                console.info("PyTorch peer, scan " + scan + ":");
                TorchTrainPeer.Result torch =
                        peer.run(
                                DatasetCatalog.lookup(TrainBench.DATASET).file(dataDirectory),
                                scan,
                                settings.steps(),
                                settings.warmupSteps());
                torchVersion = torch.torchVersion();
                runs.add(Run.of(round, scan, torch.timing()));
                console.info(describe(runs.get(runs.size() - 1)));
            }
        }
        console.info("after: " + loadAverage());
        Summary summary = Summary.of(runs, java, torchVersion);
        if (console.json()) {
            console.printJson(json(settings, runs, summary));
        } else {
            print(settings, runs, summary, console);
        }
        return 0;
    }

    private static Map<String, Object> json(Settings settings, List<Run> runs, Summary summary) {
        TrainBench.Result timing = summary.timing();
        Double torchSeconds = summary.torchSeconds();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "bench train");
        json.put("dataset", TrainBench.DATASET);
        json.put("horizon", TrainBench.HORIZON);
        json.put("batch", TrainBench.options(settings.threads()).batchSize());
        json.put("hidden", TrainBench.WIDTH);
        json.put("state", TrainBench.WIDTH);
        json.put("layers", TrainBench.LAYERS);
        json.put("threads", settings.threads());
        json.put("stepsPerEpoch", timing.stepsPerEpoch());
        json.put("warmupSteps", timing.warmupSteps());
        json.put("stepsTimed", timing.stepsTimed());
        json.put("rounds", settings.rounds());
        json.put("msPerStep", summary.javaMsPerStep());
        json.put("javaSecondsPerEpoch", summary.javaSeconds());
        json.put("torchSecondsPerEpoch", torchSeconds);
        json.put("torchScan", summary.bestScan());
        json.put(
                "torchMsPerStep",
                torchSeconds == null ? null : torchSeconds * 1000 / timing.stepsPerEpoch());
        json.put("ratio", torchSeconds == null ? null : torchSeconds / summary.javaSeconds());
        json.put("torchSecondsPerEpochByScan", summary.torchByScan());
        json.put("torchVersion", summary.torchVersion());
        json.put("runs", runs);
        return json;
    }

    private static void print(Settings settings, List<Run> runs, Summary summary, Console console) {
        Table table =
                new Table(
                        "round",
                        "trainer",
                        "ms/step",
                        "s/epoch",
                        "epoch wall s",
                        "loss first",
                        "loss last",
                        "other cores");
        for (Run run : runs) {
            table.row(
                    run.round(),
                    run.scan() == null ? "Blurstream (Java)" : "PyTorch " + run.scan(),
                    format("%.1f", run.msPerStep()),
                    format("%.1f", run.secondsPerEpoch()),
                    run.epochWallSeconds() == null ? "-" : format("%.1f", run.epochWallSeconds()),
                    format("%.4f", run.firstLoss()),
                    format("%.4f", run.finalLoss()),
                    run.foreignCpuCores() == null ? "-" : format("%.2f", run.foreignCpuCores()));
        }
        console.print(table);
        StringBuilder line =
                new StringBuilder(
                        format(
                                "seconds per epoch (median): Blurstream %.1f",
                                summary.javaSeconds()));
        for (Map.Entry<String, Double> e : summary.torchByScan().entrySet()) {
            line.append(
                    format(
                            ", PyTorch %s %.1f (%.2fx the Java time)",
                            e.getKey(), e.getValue(), e.getValue() / summary.javaSeconds()));
        }
        console.println(line.toString());
        TrainBench.Result timing = summary.timing();
        console.println(
                format(
                        "threads: %d on each side. s/epoch = ms/step over %d steps after %d"
                                + " warm-up steps, times the %d steps of an epoch (training steps"
                                + " only, no validation). loss = mean training MSE of the first"
                                + " and last %d steps. other cores = cores kept busy by other"
                                + " processes while timing (above 0.2: unreliable).",
                        settings.threads(),
                        timing.stepsTimed(),
                        timing.warmupSteps(),
                        timing.stepsPerEpoch(),
                        timing.lossSteps()));
    }

    private static String describe(Run run) {
        return format(
                "  %s: %.1f ms/step, %.1f s/epoch, loss %.4f -> %.4f, other processes used %s"
                        + " cores",
                run.scan() == null ? "Blurstream" : "PyTorch " + run.scan(),
                run.msPerStep(),
                run.secondsPerEpoch(),
                run.firstLoss(),
                run.finalLoss(),
                run.foreignCpuCores() == null ? "?" : format("%.2f", run.foreignCpuCores()));
    }

    /** Median seconds per epoch of the Java runs ({@code scan == null}) or of one PyTorch scan. */
    private static double median(List<Run> runs, String scan) {
        double[] values =
                runs.stream()
                        .filter(r -> Objects.equals(r.scan(), scan))
                        .mapToDouble(Run::secondsPerEpoch)
                        .sorted()
                        .toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** The load averages of {@code /proc/loadavg}, for the record. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return "load average " + fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
