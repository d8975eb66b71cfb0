package io.blurstream.training.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The benchmark datasets shipped in the repository's {@code data/} folder, and how to find that
 * folder. See {@code data/README.md} for sources, licences and checksums.
 */
public final class DatasetCatalog {

    /** System property naming the data folder; wins over everything but an explicit path. */
    public static final String DATA_PROPERTY = "blurstream.data";

    /** System property the launcher sets to the repository root; its {@code data/} is used. */
    public static final String HOME_PROPERTY = "blurstream.home";

    /** The file whose presence marks a folder as the data folder when searching upwards. */
    static final String MARKER = "README.md";

    private static final long HOUR = 3_600_000L;
    private static final List<Integer> LONG_HORIZONS = List.of(96, 192, 336, 720);

    private static final List<Dataset> DATASETS =
            List.of(
                    longHorizon("ETTh1", "ETTh1.csv.xz", SplitRule.ETT_HOURLY, HOUR),
                    longHorizon("ETTh2", "ETTh2.csv.xz", SplitRule.ETT_HOURLY, HOUR),
                    longHorizon("ETTm1", "ETTm1.csv.xz", SplitRule.ETT_15_MINUTES, HOUR / 4),
                    longHorizon(
                            "exchange_rate",
                            "exchange_rate.csv",
                            SplitRule.RATIO_70_10_20,
                            24 * HOUR),
                    // Illness has under a thousand weekly rows, so the literature uses a short
                    // lookback and horizons (Autoformer's ILI script: seq_len 36, pred_len 24..60).
                    new Dataset(
                            "national_illness",
                            "national_illness.csv",
                            SplitRule.RATIO_70_10_20,
                            36,
                            List.of(24, 36, 48, 60),
                            "OT",
                            7 * 24 * HOUR));

    /** A dataset with the usual settings: lookback 96, horizons 96 … 720, target OT. */
    private static Dataset longHorizon(
            String name, String fileName, SplitRule rule, long stepMillis) {
        return new Dataset(name, fileName, rule, 96, LONG_HORIZONS, "OT", stepMillis);
    }

    private DatasetCatalog() {}

    /** Every known dataset, in a fixed order. */
    public static List<Dataset> all() {
        return DATASETS;
    }

    /** The names of every known dataset, in the order of {@link #all()}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Dataset dataset : DATASETS) {
            names.add(dataset.name());
        }
        return names;
    }

    /**
     * The dataset of that name, ignoring case.
     *
     * @throws IllegalArgumentException listing the known names if there is none
     */
    public static Dataset lookup(String name) {
        for (Dataset dataset : DATASETS) {
            if (dataset.name().equalsIgnoreCase(name)) {
                return dataset;
            }
        }
        throw new IllegalArgumentException(
                "unknown dataset '" + name + "'; known datasets: " + String.join(", ", names()));
    }

    /**
     * The data folder found from the running JVM's system properties and working directory; see
     * {@link #locateDataDirectory(Path)}.
     */
    public static Path locateDataDirectory() {
        return locateDataDirectory(null);
    }

    /**
     * Finds the data folder. In order: {@code explicit} if not {@code null}; else the system
     * property {@value #DATA_PROPERTY}; else {@code data/} under the system property {@value
     * #HOME_PROPERTY} (the launcher sets it to the repository root); else the first folder named
     * {@code data} containing a {@code README.md}, looking in the working directory and then each
     * of its parents (tests run with a module folder as working directory).
     *
     * <p>An explicit path or {@value #DATA_PROPERTY} is a deliberate choice, so a wrong one fails
     * at once instead of falling through to a folder the caller did not ask for.
     *
     * @throws IllegalStateException saying what was tried if no folder is found
     */
    public static Path locateDataDirectory(Path explicit) {
        return locateDataDirectory(explicit, System::getProperty, Path.of(""));
    }

    /** {@link #locateDataDirectory(Path)} with the properties and working directory given. */
    static Path locateDataDirectory(
            Path explicit, UnaryOperator<String> properties, Path workingDirectory) {
        if (explicit != null) {
            return requireDirectory(explicit, "the data directory given");
        }
        String property = properties.apply(DATA_PROPERTY);
        if (property != null && !property.isBlank()) {
            return requireDirectory(Path.of(property), "-D" + DATA_PROPERTY);
        }
        List<String> tried = new ArrayList<>();
        tried.add("-D" + DATA_PROPERTY + " (not set)");
        String home = properties.apply(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path candidate = Path.of(home).resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            tried.add(
                    candidate.toAbsolutePath() + " from -D" + HOME_PROPERTY + " (no such folder)");
        } else {
            tried.add("-D" + HOME_PROPERTY + " (not set)");
        }
        Path start = workingDirectory.toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("data");
            if (Files.isRegularFile(candidate.resolve(MARKER))) {
                return candidate;
            }
        }
        tried.add("data/" + MARKER + " in " + start + " or any parent (none found)");
        throw new IllegalStateException(
                "cannot find the benchmark data folder; tried "
                        + String.join("; ", tried)
                        + ". Run from inside the repository, or set -D"
                        + DATA_PROPERTY
                        + "=<folder holding ETTh1.csv.xz and the other data files>");
    }

    private static Path requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    what + " (" + dir.toAbsolutePath() + ") is not an existing directory");
        }
        return dir;
    }
}
