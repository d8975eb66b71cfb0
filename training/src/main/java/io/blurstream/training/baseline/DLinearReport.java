package io.blurstream.training.baseline;

import io.blurstream.model.kernel.KernelMode;
import io.blurstream.training.data.Dataset;
import io.blurstream.training.data.DatasetCatalog;
import io.blurstream.training.data.ForecastProtocol;
import io.blurstream.training.data.ForecastSplits;
import io.blurstream.training.eval.ForecastErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains DLinear on benchmark datasets under the multivariate protocol and prints the test errors
 * next to reference figures from the literature, to check that the data pipeline, the optimiser and
 * the metric reproduce the literature. Progress goes to stderr, the table to stdout.
 *
 * <pre>
 * DLinearReport [--data DIR] [--seed N] [DATASET:HORIZON ...]
 * </pre>
 *
 * Without cases it runs ETTh1:96, ETTh1:336 and ETTm1:96 at lookback 96. Each case takes seconds on
 * one core; the exact command is in the training README.
 */
public final class DLinearReport {

    /**
     * One run; {@code referenceMse} is the test MSE this project checks DLinear against at lookback
     * 96 (NaN when it has none).
     */
    record Case(String dataset, int horizon, double referenceMse) {}

    /**
     * The yardsticks: literature result tables for DLinear at lookback 96 (TimesNet, iTransformer)
     * give 0.386 for ETTh1-96 and 0.345 for ETTm1-96; 0.489 for ETTh1-336 is the figure the project
     * set as its target. These are single runs; the seed alone moves a run by a few hundredths
     * (training/README.md lists ten seeds).
     */
    private static final List<Case> DEFAULT_CASES =
            List.of(
                    new Case("ETTh1", 96, 0.386),
                    new Case("ETTh1", 336, 0.489),
                    new Case("ETTm1", 96, 0.345));

    private DLinearReport() {}

    public static void main(String[] args) throws IOException {
        Path dataDir = null;
        long seed = 2021;
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> dataDir = Path.of(value(args, ++i, "--data"));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                case "--help", "-h" -> {
                    System.out.println(
                            "usage: DLinearReport [--data DIR] [--seed N] [DATASET:HORIZON ...]\n"
                                    + "default cases: ETTh1:96 ETTh1:336 ETTm1:96; datasets: "
                                    + String.join(", ", DatasetCatalog.names()));
                    return;
                }
                default -> cases.add(parseCase(args[i]));
            }
        }
        if (cases.isEmpty()) {
            cases.addAll(DEFAULT_CASES);
        }
        Path dir = DatasetCatalog.locateDataDirectory(dataDir);
        System.err.printf(
                "DLinear, multivariate, seed %d, kernels %s, data %s%n",
                seed, KernelMode.active(), dir.toAbsolutePath().normalize());

        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        "%-18s %4s %4s %8s %8s %10s %6s %9s",
                        "dataset",
                        "L",
                        "F",
                        "test MSE",
                        "test MAE",
                        "reference",
                        "epochs",
                        "seconds"));
        for (Case c : cases) {
            Dataset dataset = DatasetCatalog.lookup(c.dataset());
            int lookback = dataset.defaultLookback();
            long loadStart = System.nanoTime();
            ForecastSplits splits =
                    dataset.splits(dir, ForecastProtocol.MULTIVARIATE, lookback, c.horizon());
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.err.printf(
                    "%s L=%d F=%d: %d / %d / %d windows, loaded in %.1f s%n",
                    dataset.name(),
                    lookback,
                    c.horizon(),
                    splits.train().count(),
                    splits.validation().count(),
                    splits.test().count(),
                    loadSeconds);
            DLinearTrainer.Result result =
                    DLinearTrainer.builder()
                            .seed(seed)
                            .onEpoch(
                                    e ->
                                            System.err.printf(
                                                    Locale.ROOT,
                                                    "  epoch %d  lr %.6f  train %.4f  val %.4f%s"
                                                            + "  %.1f s%n",
                                                    e.epoch() + 1,
                                                    e.learningRate(),
                                                    e.trainLoss(),
                                                    e.validationMse(),
                                                    e.improved() ? " *" : "",
                                                    e.seconds()))
                            .build()
                            .train(splits);
            ForecastErrors test = result.testErrors();
            String line =
                    String.format(
                            Locale.ROOT,
                            "%-18s %4d %4d %8.4f %8.4f %10s %6d %9.1f",
                            dataset.name(),
                            lookback,
                            c.horizon(),
                            test.mse(),
                            test.mae(),
                            Double.isNaN(c.referenceMse())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.3f", c.referenceMse()),
                            result.epochs().size(),
                            result.seconds());
            System.err.printf(
                    Locale.ROOT,
                    "  test MSE %.4f  MAE %.4f  (weights of epoch %d, %.1f s)%n",
                    test.mse(),
                    test.mae(),
                    result.bestEpoch() + 1,
                    result.seconds());
            lines.add(line);
        }
        lines.forEach(System.out::println);
    }

    private static Case parseCase(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "expected DATASET:HORIZON such as ETTh1:96, got '" + text + "'");
        }
        String name = DatasetCatalog.lookup(text.substring(0, colon)).name();
        int horizon = Integer.parseInt(text.substring(colon + 1));
        for (Case c : DEFAULT_CASES) {
            if (c.dataset().equals(name) && c.horizon() == horizon) {
                return c;
            }
        }
        return new Case(name, horizon, Double.NaN);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
