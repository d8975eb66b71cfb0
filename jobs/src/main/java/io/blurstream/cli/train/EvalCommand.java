package io.blurstream.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.cli.Table;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.Forecaster;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.model.kernel.WorkerPool;
import io.blurstream.training.blur.SplitEvaluator;
import io.blurstream.training.data.Dataset;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.data.WindowedSplit;
import io.blurstream.training.eval.ErrorAccumulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code blurstream eval}: a model file against a dataset's test split, with a picture. */
public final class EvalCommand implements Command {

    private static final int PLOTTED_WINDOWS = 4;

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "Evaluate model files on a dataset (MSE/MAE per horizon) and plot forecasts";
    }

    @Override
    public String usage() {
        return """
        Usage: blurstream eval --model FILE[,FILE...] --dataset NAME [options]

        Forecasts every window of the test split with each model exactly as it would
        serve (raw values in, its own scaler), and reports MSE and MAE in standardised
        units (the scaler fitted on the training rows), one row per model, so models
        for several horizons make a table. The protocol (multivariate or univariate)
        follows from the model's channels. Also writes an SVG picture: forecast vs
        actual of the target channel for a few test windows, and the learning curves
        when the model's run report (NAME.report.json) lies beside it.

        Options:
          --model FILES     model files, comma-separated
          --dataset NAME    %s
          --split S         test or validation [test]
          --plot FILE       the picture [beside the first model: NAME.eval.svg]
          --data DIR        dataset folder [the repository's data/]
          --threads T       [%d]
          --json            end with one JSON line: dataset, horizon, mse, mae of the
                            first model, and "results" with one entry per model

        Examples:
          blurstream eval --model models/ETTh1-blur-96.json --dataset ETTh1
          blurstream eval --model models/ETTh1-blur-96.json,models/ETTh1-blur-336.json \\
              --dataset ETTh1 --json
        """
                .formatted(
                        String.join(", ", DatasetCatalog.names()),
                        Runtime.getRuntime().availableProcessors());
    }

    /** One model's figures. */
    public record Result(
            String model,
            String dataset,
            String split,
            int horizon,
            double mse,
            double mae,
            long windows) {}

    /** The {@code --json} line. */
    public record Summary(
            String dataset,
            int horizon,
            double mse,
            double mae,
            String plot,
            List<Result> results) {}

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions("model", "dataset", "split", "plot", "data", "threads", "json");
        args.checkPositionals(0);
        String models = args.string("model", null);
        String datasetName = args.string("dataset", null);
        if (models == null || datasetName == null) {
            throw new IllegalArgumentException("--model and --dataset are required");
        }
        Dataset dataset = DatasetCatalog.lookup(datasetName);
        String splitName = args.string("split", "test").toLowerCase(Locale.ROOT);
        if (!splitName.equals("test") && !splitName.equals("validation")) {
            throw new IllegalArgumentException(
                    "--split must be test or validation, got '" + splitName + "'");
        }
        Path dataDirectory =
                DatasetCatalog.locateDataDirectory(
                        args.has("data") ? Path.of(args.string("data", null)) : null);
        List<Path> files = new ArrayList<>();
        for (String part : models.split(",")) {
            files.add(Path.of(part.trim()));
        }
        Path plot = Path.of(args.string("plot", sibling(files.get(0), ".eval.svg").toString()));
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        Table table = new Table("model", "dataset", "split", "horizon", "MSE", "MAE", "windows");
        try (WorkerPool pool = threads > 1 ? new WorkerPool(threads) : null) {
            for (int m = 0; m < files.size(); m++) {
                BlurModel model = ModelCodec.read(files.get(m));
                ForecastSplits splits = splitsFor(model, dataset, dataDirectory);
                WindowedSplit split =
                        splitName.equals("test") ? splits.test() : splits.validation();
                console.info("evaluating " + files.get(m) + " on " + split.count() + " windows");
                ErrorAccumulator errors = SplitEvaluator.evaluateAsServed(model, split, pool);
                Result result =
                        new Result(
                                model.modelId(),
                                dataset.name(),
                                splitName,
                                model.config().horizon(),
                                errors.mse(),
                                errors.mae(),
                                errors.count());
                results.add(result);
                table.row(
                        result.model(),
                        result.dataset(),
                        result.split(),
                        result.horizon(),
                        String.format(Locale.ROOT, "%.4f", result.mse()),
                        String.format(Locale.ROOT, "%.4f", result.mae()),
                        split.count());
                if (m == 0) {
                    writePlot(plot, files.get(0), model, split, dataset);
                }
            }
        }
        if (console.json()) {
            Result first = results.get(0);
            console.printJson(
                    new Summary(
                            first.dataset(),
                            first.horizon(),
                            first.mse(),
                            first.mae(),
                            plot.toString(),
                            results));
        } else {
            console.print(table);
            console.println("picture: " + plot);
        }
        return Blurstream.EXIT_OK;
    }

    /** The splits the model was trained on: its lookback, horizon and channels. */
    static ForecastSplits splitsFor(BlurModel model, Dataset dataset, Path dataDirectory)
            throws java.io.IOException {
        BlurConfig config = model.config();
        ForecastProtocol protocol =
                config.channels().equals(List.of(dataset.target()))
                        ? ForecastProtocol.UNIVARIATE
                        : ForecastProtocol.MULTIVARIATE;
        ForecastSplits splits =
                dataset.splits(dataDirectory, protocol, config.window(), config.horizon());
        if (!splits.channelNames().equals(config.channels())) {
            throw new IllegalArgumentException(
                    "model "
                            + model.modelId()
                            + " forecasts channels "
                            + config.channels()
                            + " but "
                            + dataset.name()
                            + " has "
                            + splits.channelNames());
        }
        return splits;
    }

    private static void writePlot(
            Path plot, Path modelFile, BlurModel model, WindowedSplit split, Dataset dataset)
            throws java.io.IOException {
        BlurConfig config = model.config();
        int channels = config.channelCount();
        int target = Math.max(0, config.channels().indexOf(dataset.target()));
        int w = config.window();
        int f = config.horizon();
        Forecaster forecaster = new Forecaster(model);
        Forecaster.Workspace workspace = forecaster.newWorkspace(1);
        double[] rawInput = new double[split.inputSize()];
        double[] rawTarget = new double[split.targetSize()];
        float[] input = new float[split.inputSize()];
        float[] forecast = new float[split.targetSize()];
        SvgChart chart =
                new SvgChart(
                        model.modelId() + " on " + dataset.name() + " (" + split.name() + ")", 2);
        for (int k = 0; k < PLOTTED_WINDOWS; k++) {
            int window = (int) ((long) (split.count() - 1) * k / Math.max(1, PLOTTED_WINDOWS - 1));
            split.copyRawInput(window, rawInput, 0);
            split.copyRawTarget(window, rawTarget, 0);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) rawInput[i];
            }
            forecaster.forecast(input, 0, forecast, 0, workspace);
            double[] historyX = new double[w];
            double[] history = new double[w];
            for (int t = 0; t < w; t++) {
                historyX[t] = t - w;
                history[t] = rawInput[t * channels + target];
            }
            double[] futureX = new double[f];
            double[] actual = new double[f];
            double[] predicted = new double[f];
            for (int t = 0; t < f; t++) {
                futureX[t] = t;
                actual[t] = rawTarget[t * channels + target];
                predicted[t] = forecast[t * channels + target];
            }
            chart.add(
                    new SvgChart.Panel(
                            config.channels().get(target) + ", window " + window,
                            "steps from the forecast time",
                            List.of(
                                    new SvgChart.Series("history", historyX, history),
                                    new SvgChart.Series("actual", futureX, actual),
                                    new SvgChart.Series("forecast", futureX, predicted))));
        }
        Path report = sibling(modelFile, ".report.json");
        if (Files.isRegularFile(report)) {
            JsonNode curve = new ObjectMapper().readTree(report.toFile()).path("curve");
            int n = curve.size();
            double[] epochs = new double[n];
            double[] train = new double[n];
            double[] validation = new double[n];
            for (int i = 0; i < n; i++) {
                epochs[i] = curve.get(i).path("epoch").asDouble();
                train[i] = curve.get(i).path("trainLoss").asDouble();
                validation[i] = curve.get(i).path("validationMse").asDouble();
            }
            chart.add(
                    new SvgChart.Panel(
                            "learning curves",
                            "epoch",
                            List.of(
                                    new SvgChart.Series("train loss", epochs, train),
                                    new SvgChart.Series("validation MSE", epochs, validation))));
        }
        if (plot.getParent() != null) {
            Files.createDirectories(plot.getParent());
        }
        Files.writeString(plot, chart.render());
    }

    static Path sibling(Path modelFile, String suffix) {
        String name = modelFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return modelFile.resolveSibling(stem + suffix);
    }
}
