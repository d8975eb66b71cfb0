package io.blurstream.cli.train;

import io.blurstream.cli.Arguments;
import io.blurstream.cli.Blurstream;
import io.blurstream.cli.Command;
import io.blurstream.cli.Console;
import io.blurstream.model.BlurConfig;
import io.blurstream.model.BlurModel;
import io.blurstream.model.ChannelMode;
import io.blurstream.model.Direction;
import io.blurstream.model.io.ModelCodec;
import io.blurstream.training.blur.BlurTrainer;
import io.blurstream.training.blur.TrainingOptions;
import io.blurstream.training.blur.TrainingResult;
import io.blurstream.training.data.Dataset;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code blurstream train}: trains BLUR or LRU on a dataset and writes a model file and report. */
public final class TrainCommand implements Command {

    static final List<String> OPTIONS =
            List.of(
                    "dataset",
                    "protocol",
                    "horizon",
                    "lookback",
                    "model",
                    "hidden",
                    "state",
                    "layers",
                    "channel-mode",
                    "revin",
                    "dropout",
                    "epochs",
                    "batch",
                    "lr",
                    "recurrent-lr-scale",
                    "weight-decay",
                    "schedule",
                    "warmup",
                    "decay-gamma",
                    "clip",
                    "patience",
                    "seed",
                    "threads",
                    "out",
                    "model-id",
                    "data",
                    "json");

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "Train BLUR or LRU on a dataset; write a model file and a run report";
    }

    @Override
    public String usage() {
        TrainingOptions d = TrainingOptions.defaults();
        return """
        Usage: blurstream train --dataset NAME [options]

        Trains on the standard long-horizon protocol: chronological train/val/test
        borders, standardisation fitted on train, stride-1 windows. Keeps the weights
        with the best validation MSE (early stopping), reports validation and test
        MSE/MAE in standardised units, and writes the model file (config and scaler
        inside, ready to serve) plus a run report (JSON and Markdown) beside it.

        Data and model:
          --dataset NAME         %s
          --protocol P           multivariate (all channels) or univariate (target
                                 channel only) [multivariate]
          --horizon F            forecast steps [96]
          --lookback W           input window [the dataset's standard: 96, illness 36]
          --model M              blur (bidirectional) or lru (forward only) [blur]
          --hidden H, --state N, --layers L    sizes [64, 64, 2]
          --channel-mode M       independent or mixing [independent]
          --revin=BOOL           per-window instance normalisation [true]
          --dropout P            [0.1]
        Optimisation:
          --epochs N [%d]  --batch N [%d]  --lr R [%s]  --recurrent-lr-scale S [%s]
          --weight-decay D [%s]  --schedule cosine|step|constant [cosine]
          --warmup EPOCHS [%s]  --decay-gamma G (step schedule) [%s]
          --clip NORM (0: off) [%s]  --patience EPOCHS [%d]  --seed S [%d]
          --threads T            gradient threads; results do not depend on it [%d]
        Output:
          --out FILE             model file [models/<dataset>-<model>-<horizon>.json]
          --model-id ID          [<dataset>-<model>-<horizon>]
          --data DIR             dataset folder [the repository's data/]
          --json                 end with one JSON line: dataset, horizon, model,
                                 mse, mae (test), valMse, bestEpoch, epochs, seconds

        Examples:
          blurstream train --dataset ETTh1 --horizon 96
          blurstream train --dataset ETTm1 --model lru --epochs 10 --json
        """
                .formatted(
                        String.join(", ", DatasetCatalog.names()),
                        d.epochs(),
                        d.batchSize(),
                        d.learningRate(),
                        d.recurrentScale(),
                        d.weightDecay(),
                        d.warmupEpochs(),
                        d.decayGamma(),
                        d.clipNorm(),
                        d.patience(),
                        d.seed(),
                        d.threads());
    }

    /** The {@code --json} line. */
    public record Summary(
            String dataset,
            int horizon,
            String model,
            double mse,
            double mae,
            double valMse,
            double valMae,
            int bestEpoch,
            int epochs,
            double secondsPerEpoch,
            double seconds,
            String modelFile) {}

    @Override
    public int run(Arguments args, Console console) throws Exception {
        args.checkOptions(OPTIONS);
        args.checkPositionals(0);
        TrainingSetup setup = TrainingSetup.from(args);
        console.info(
                "training "
                        + setup.modelId()
                        + " on "
                        + setup.dataset().name()
                        + " ("
                        + setup.protocol().name().toLowerCase(Locale.ROOT)
                        + ", lookback "
                        + setup.config().window()
                        + ", horizon "
                        + setup.config().horizon()
                        + ")");
        ForecastSplits splits = setup.splits();
        console.info(
                "windows: train "
                        + splits.train().count()
                        + ", validation "
                        + splits.validation().count()
                        + ", test "
                        + splits.test().count());
        long started = System.nanoTime();
        BlurTrainer trainer =
                new BlurTrainer(
                        setup.config(),
                        splits,
                        setup.options(),
                        new ProgressBar(console, setup.options().epochs()));
        TrainingResult result = trainer.train(setup.modelId());
        double seconds = (System.nanoTime() - started) / 1e9;
        BlurModel model =
                Provenance.attach(
                        result,
                        setup.dataset().name(),
                        setup.protocol().name().toLowerCase(Locale.ROOT),
                        setup.commandLine());
        Path out = setup.out();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelCodec.write(model, out);
        RunReport.write(out, setup, result, seconds);
        double secondsPerEpoch =
                result.curve().stream().mapToDouble(e -> e.seconds()).average().orElse(0);
        Summary summary =
                new Summary(
                        setup.dataset().name(),
                        setup.config().horizon(),
                        setup.modelName(),
                        result.test().mse(),
                        result.test().mae(),
                        result.validation().mse(),
                        result.validation().mae(),
                        result.bestEpoch(),
                        result.curve().size(),
                        secondsPerEpoch,
                        seconds,
                        out.toString());
        if (console.json()) {
            console.printJson(summary);
        } else {
            console.println(
                    String.format(
                            Locale.ROOT,
                            "test mse %.4f mae %.4f (validation mse %.4f), best epoch %d of %d,"
                                    + " %.1f s/epoch",
                            summary.mse(),
                            summary.mae(),
                            summary.valMse(),
                            summary.bestEpoch(),
                            summary.epochs(),
                            secondsPerEpoch));
            console.println("model:  " + out);
            console.println("report: " + RunReport.markdownPath(out));
        }
        return Blurstream.EXIT_OK;
    }

    /** Everything a run needs, read from the arguments. */
    record TrainingSetup(
            Dataset dataset,
            ForecastProtocol protocol,
            Path dataDirectory,
            BlurConfig config,
            TrainingOptions options,
            String modelName,
            String modelId,
            Path out,
            String commandLine) {

        static TrainingSetup from(Arguments args) throws java.io.IOException {
            String datasetName = args.string("dataset", null);
            if (datasetName == null) {
                throw new IllegalArgumentException(
                        "--dataset is required: one of "
                                + String.join(", ", DatasetCatalog.names()));
            }
            Dataset dataset = DatasetCatalog.lookup(datasetName);
            ForecastProtocol protocol =
                    choice(args, "protocol", "multivariate", ForecastProtocol.class);
            int horizon = args.integer("horizon", 96);
            int lookback = args.integer("lookback", dataset.defaultLookback());
            String modelName = args.string("model", "blur").toLowerCase(Locale.ROOT);
            Direction direction =
                    switch (modelName) {
                        case "blur" -> Direction.BIDIRECTIONAL;
                        case "lru" -> Direction.FORWARD;
                        default ->
                                throw new IllegalArgumentException(
                                        "--model must be blur or lru, got '" + modelName + "'");
                    };
            Path dataDirectory =
                    DatasetCatalog.locateDataDirectory(
                            args.has("data") ? Path.of(args.string("data", null)) : null);
            List<String> channels = channelsOf(dataset, dataDirectory, protocol);
            boolean revin = !args.has("revin") || args.flag("revin");
            BlurConfig config =
                    BlurConfig.builder()
                            .window(lookback)
                            .horizon(horizon)
                            .channels(channels)
                            .gridStepMillis(dataset.stepMillis())
                            .channelMode(
                                    choice(args, "channel-mode", "independent", ChannelMode.class))
                            .revin(revin)
                            .hidden(args.integer("hidden", 64))
                            .state(args.integer("state", 64))
                            .layers(args.integer("layers", 2))
                            .direction(direction)
                            .dropout(args.decimal("dropout", 0.1))
                            .build();
            TrainingOptions d = TrainingOptions.defaults();
            TrainingOptions options =
                    new TrainingOptions(
                            args.integer("epochs", d.epochs()),
                            args.integer("batch", d.batchSize()),
                            args.decimal("lr", d.learningRate()),
                            args.decimal("recurrent-lr-scale", d.recurrentScale()),
                            args.decimal("weight-decay", d.weightDecay()),
                            choice(args, "schedule", "cosine", TrainingOptions.Schedule.class),
                            args.decimal("warmup", d.warmupEpochs()),
                            args.decimal("decay-gamma", d.decayGamma()),
                            args.decimal("clip", d.clipNorm()),
                            args.integer("patience", d.patience()),
                            args.integer("seed", (int) d.seed()),
                            args.integer("threads", d.threads()));
            String defaultId = dataset.name() + "-" + modelName + "-" + horizon;
            String modelId = args.string("model-id", defaultId);
            Path out = Path.of(args.string("out", "models/" + defaultId + ".json"));
            return new TrainingSetup(
                    dataset,
                    protocol,
                    dataDirectory,
                    config,
                    options,
                    modelName,
                    modelId,
                    out,
                    commandLine(args, config));
        }

        ForecastSplits splits() throws java.io.IOException {
            return dataset.splits(dataDirectory, protocol, config.window(), config.horizon());
        }

        private static List<String> channelsOf(
                Dataset dataset, Path dataDirectory, ForecastProtocol protocol)
                throws java.io.IOException {
            if (protocol == ForecastProtocol.UNIVARIATE) {
                return List.of(dataset.target());
            }
            return dataset.read(dataDirectory).columns();
        }

        /**
         * The command that reproduces this run (threads and paths left out: they do not matter).
         */
        private static String commandLine(Arguments args, BlurConfig config) {
            StringBuilder line = new StringBuilder("./blurstream train");
            for (String name : args.optionNames()) {
                switch (name) {
                    case "json", "threads", "data" -> {}
                    case "revin" -> line.append(" --revin=").append(config.revin());
                    default ->
                            line.append(" --")
                                    .append(name)
                                    .append(' ')
                                    .append(args.string(name, ""));
                }
            }
            return line.toString();
        }
    }

    static <E extends Enum<E>> E choice(
            Arguments args, String option, String defaultValue, Class<E> type) {
        String text = args.string(option, defaultValue);
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return value;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E value : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ")
                    .append(value.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(
                "--" + option + " must be one of " + known + ", got '" + text + "'");
    }
}
