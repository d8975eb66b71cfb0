package io.blurstream.training.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The repository's {@code data/} files for tests, each read once per test JVM: several test classes
 * need the same tables and reading ETTm1 costs a few hundred milliseconds.
 */
public final class ShippedData {

    private static final ConcurrentMap<String, TimeSeriesTable> TABLES = new ConcurrentHashMap<>();

    private ShippedData() {}

    public static Path directory() {
        return DatasetCatalog.locateDataDirectory();
    }

    public static TimeSeriesTable table(String name) {
        return TABLES.computeIfAbsent(
                name,
                n -> {
                    try {
                        return DatasetCatalog.lookup(n).read(directory());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** The splits of a shipped dataset under the standard protocol. */
    public static ForecastSplits splits(
            String name, ForecastProtocol protocol, int lookback, int horizon) {
        Dataset dataset = DatasetCatalog.lookup(name);
        TimeSeriesTable table = table(name);
        return protocol.splits(
                table, dataset.borders(table.rows()), dataset.target(), lookback, horizon);
    }
}
