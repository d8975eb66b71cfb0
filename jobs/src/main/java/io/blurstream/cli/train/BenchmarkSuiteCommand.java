package io.blurstream.cli.train;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cli.Table;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.training.baseline.DLinearTrainer;
import io.blurstream.training.blur.BlurTrainer;
import io.blurstream.training.blur.TrainingOptions;
import io.blurstream.training.blur.TrainingProgress;
import io.blurstream.training.blur.TrainingResult;
import io.blurstream.training.data.Dataset;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code blurstream benchmark-suite}: BLUR, its unidirectional LRU twin and DLinear trained and
 * tested on datasets × horizons under the standard protocol, side by side in one table.
 */
public final class BenchmarkSuiteCommand implements Command {

    private static final List<String> MODELS = List.of("blur", "lru", "dlinear");

    @Override
    public String name() {
        return "benchmark-suite";
    }

    @Override
    public String summary() {
        return "Train and test BLUR, LRU and DLinear on datasets x horizons; one comparison table";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream benchmark-suite [options]

        For every dataset, horizon, model and seed: trains on the standard
        multivariate protocol (lookback 96; 36 for national_illness), keeps the
        weights with the best validation MSE, and measures test MSE and MAE in
        standardised units. BLUR and LRU share every setting but the backward half.
        Prints one table (mean ± standard deviation over seeds) with BLUR's gain over
        LRU, the paper's central claim.

        Options:
          --datasets LIST     [ETTh1,ETTm1]; known: %s
          --horizons LIST     [each dataset's standard horizons]
          --models LIST       any of blur, lru, dlinear [blur,lru,dlinear]
          --seeds LIST        [1]
          --epochs N          most epochs for BLUR and LRU [6]
          --patience N        [3]
          --hidden H, --state N, --layers L, --dropout P   [64, 64, 2, 0.1]
          --channel-mode M    independent or mixing [independent]
          --revin=BOOL        [true]
          --lr R, --batch B   [1e-3, 32]
          --threads T         [%d]
          --save DIR          also write each BLUR/LRU model file there
          --data DIR          dataset folder [the repository's data/]
          --json              end with one JSON line: "results", one entry per dataset,
                              horizon and model (mse, mae, their std over seeds, seconds)

        Examples:
          blurstream benchmark-suite --datasets ETTh1 --horizons 96
          blurstream benchmark-suite --datasets ETTh1,ETTm1 --seeds 1,2,3 --json
        """
                .formatted(
                        String.join(", ", DatasetCatalog.names()),
                        Runtime.getRuntime().availableProcessors());
    }

    /** One dataset × horizon × model, over all seeds. */
    public record Row(
            String dataset,
            int horizon,
            String model,
            int seeds,
            double mse,
            double mseStd,
            double mae,
            double maeStd,
            double seconds) {}

    /** The {@code --json} line. */
    public record Summary(List<Row> results) {}

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(
                "datasets",
                "horizons",
                "models",
                "seeds",
                "epochs",
                "patience",
                "hidden",
                "state",
                "layers",
                "dropout",
                "channel-mode",
                "revin",
                "lr",
                "batch",
                "threads",
                "save",
                "data",
                "json");
        args.checkPositionals(0);
        List<Dataset> datasets = new ArrayList<>();
        for (String name : args.string("datasets", "ETTh1,ETTm1").split(",")) {
            datasets.add(DatasetCatalog.lookup(name.trim()));
        }
        List<String> models = new ArrayList<>();
        for (String model : args.string("models", "blur,lru,dlinear").split(",")) {
            String m = model.trim().toLowerCase(Locale.ROOT);
            if (!MODELS.contains(m)) {
                throw new IllegalArgumentException(
                        "--models takes blur, lru and dlinear, got '" + model + "'");
            }
            models.add(m);
        }
        List<Integer> seeds = args.intList("seeds", List.of(1));
        TrainingOptions defaults = TrainingOptions.defaults();
        TrainingOptions options =
                new TrainingOptions(
                        args.integer("epochs", 6),
                        args.integer("batch", defaults.batchSize()),
                        args.decimal("lr", defaults.learningRate()),
                        defaults.recurrentScale(),
                        defaults.weightDecay(),
                        defaults.schedule(),
                        defaults.warmupEpochs(),
                        defaults.decayGamma(),
                        defaults.clipNorm(),
                        args.integer("patience", 3),
                        1,
                        args.integer("threads", defaults.threads()));
        Path dataDirectory =
                DatasetCatalog.locateDataDirectory(
                        args.has("data") ? Path.of(args.string("data", null)) : null);
        Path save = args.has("save") ? Path.of(args.string("save", null)) : null;
        if (save != null) {
            Files.createDirectories(save);
        }
        ChannelMode mode =
                TrainCommand.choice(args, "channel-mode", "independent", ChannelMode.class);
        boolean revin = !args.has("revin") || args.flag("revin");
        List<Row> rows = new ArrayList<>();
        for (Dataset dataset : datasets) {
            List<Integer> horizons = args.intList("horizons", dataset.defaultHorizons());
            for (int horizon : horizons) {
                ForecastSplits splits =
                        dataset.splits(
                                dataDirectory,
                                ForecastProtocol.MULTIVARIATE,
                                dataset.defaultLookback(),
                                horizon);
                for (String model : models) {
                    double[] mse = new double[seeds.size()];
                    double[] mae = new double[seeds.size()];
                    long started = System.nanoTime();
                    for (int s = 0; s < seeds.size(); s++) {
                        int seed = seeds.get(s);
                        double[] errors;
                        if (model.equals("dlinear")) {
                            DLinearTrainer.Result result =
                                    DLinearTrainer.builder().seed(seed).build().train(splits);
                            errors = new double[] {result.test().mse(), result.test().mae()};
                        } else {
                            BlurConfig config =
                                    BlurConfig.builder()
                                            .window(dataset.defaultLookback())
                                            .horizon(horizon)
                                            .channels(splits.channelNames())
                                            .gridStepMillis(dataset.stepMillis())
                                            .channelMode(mode)
                                            .revin(revin)
                                            .hidden(args.integer("hidden", 64))
                                            .state(args.integer("state", 64))
                                            .layers(args.integer("layers", 2))
                                            .direction(
                                                    model.equals("blur")
                                                            ? Direction.BIDIRECTIONAL
                                                            : Direction.FORWARD)
                                            .dropout(args.decimal("dropout", 0.1))
                                            .build();
                            String id = dataset.name() + "-" + model + "-" + horizon + "-s" + seed;
                            TrainingResult result =
                                    new BlurTrainer(
                                                    config,
                                                    splits,
                                                    options.withSeed(seed),
                                                    TrainingProgress.SILENT)
                                            .train(id);
                            if (save != null) {
                                ModelCodec.write(
                                        withProvenance(
                                                result, dataset, model, args, options, seed, id),
                                        save.resolve(id + ".json"));
                            }
                            errors = new double[] {result.test().mse(), result.test().mae()};
                        }
                        mse[s] = errors[0];
                        mae[s] = errors[1];
                        console.info(
                                String.format(
                                        Locale.ROOT,
                                        "%s-%d %s seed %d: test mse %.4f mae %.4f",
                                        dataset.name(),
                                        horizon,
                                        model,
                                        seed,
                                        errors[0],
                                        errors[1]));
                    }
                    rows.add(
                            new Row(
                                    dataset.name(),
                                    horizon,
                                    model,
                                    seeds.size(),
                                    mean(mse),
                                    std(mse),
                                    mean(mae),
                                    std(mae),
                                    (System.nanoTime() - started) / 1e9));
                }
            }
        }
        if (console.json()) {
            console.printJson(new Summary(rows));
        } else {
            console.print(table(rows, models));
        }
        return Blurstream.EXIT_OK;
    }

    /**
     * The model with the {@code train} command that reproduces it bit for bit (same settings, seed
     * and id) and its errors in the metadata, as {@code blurstream train} writes them.
     */
    private static BlurModel withProvenance(
            TrainingResult result,
            Dataset dataset,
            String model,
            Arguments args,
            TrainingOptions options,
            int seed,
            String id) {
        StringBuilder command =
                new StringBuilder("./blurstream train --dataset ")
                        .append(dataset.name())
                        .append(" --horizon ")
                        .append(result.model().config().horizon())
                        .append(" --model ")
                        .append(model)
                        .append(" --epochs ")
                        .append(options.epochs())
                        .append(" --patience ")
                        .append(options.patience())
                        .append(" --seed ")
                        .append(seed);
        for (String option :
                List.of("hidden", "state", "layers", "dropout", "channel-mode", "lr", "batch")) {
            if (args.has(option)) {
                command.append(" --").append(option).append(' ').append(args.string(option, ""));
            }
        }
        if (args.has("revin")) {
            command.append(" --revin=").append(result.model().config().revin());
        }
        command.append(" --model-id ").append(id);
        return Provenance.attach(result, dataset.name(), "multivariate", command.toString());
    }

    private static Table table(List<Row> rows, List<String> models) {
        List<String> header = new ArrayList<>(List.of("dataset", "horizon"));
        for (String model : models) {
            header.add(label(model) + " MSE");
            header.add(label(model) + " MAE");
        }
        boolean both = models.contains("blur") && models.contains("lru");
        if (both) {
            header.add("BLUR vs LRU (MSE)");
        }
        Table table = new Table(header.toArray(String[]::new));
        Map<String, Map<String, Row>> grouped = new LinkedHashMap<>();
        for (Row row : rows) {
            grouped.computeIfAbsent(row.dataset() + "-" + row.horizon(), k -> new LinkedHashMap<>())
                    .put(row.model(), row);
        }
        for (Map<String, Row> group : grouped.values()) {
            Row any = group.values().iterator().next();
            List<Object> cells = new ArrayList<>(List.of(any.dataset(), any.horizon()));
            for (String model : models) {
                Row row = group.get(model);
                cells.add(figure(row.mse(), row.mseStd(), row.seeds()));
                cells.add(figure(row.mae(), row.maeStd(), row.seeds()));
            }
            if (both) {
                double blur = group.get("blur").mse();
                double lru = group.get("lru").mse();
                cells.add(String.format(Locale.ROOT, "%+.1f%%", 100 * (blur - lru) / lru));
            }
            table.row(cells.toArray());
        }
        return table;
    }

    private static String label(String model) {
        return switch (model) {
            case "blur" -> "BLUR";
            case "lru" -> "LRU";
            default -> "DLinear";
        };
    }

    private static String figure(double mean, double std, int seeds) {
        return seeds > 1
                ? String.format(Locale.ROOT, "%.4f ± %.4f", mean, std)
                : String.format(Locale.ROOT, "%.4f", mean);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample standard deviation; 0 for a single seed. */
    private static double std(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }
}
