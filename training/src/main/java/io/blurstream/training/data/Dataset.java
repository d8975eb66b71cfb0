package io.blurstream.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark dataset of {@link DatasetCatalog}: its file in the data folder, how it is split,
 * the lookback and horizons it is usually evaluated with, and its target channel.
 *
 * @param name the name used in papers and on the command line, e.g. {@code ETTh1}
 * @param fileName the file in the data folder, e.g. {@code ETTh1.csv.xz}
 * @param splitRule how the train / validation / test borders are found
 * @param defaultLookback the standard lookback window {@code L}
 * @param defaultHorizons the standard forecast horizons {@code F}, ascending
 * @param target the channel forecast under {@link ForecastProtocol#UNIVARIATE}
 * @param stepMillis the sampling interval of the series
 */
public record Dataset(
        String name,
        String fileName,
        SplitRule splitRule,
        int defaultLookback,
        List<Integer> defaultHorizons,
        String target,
        long stepMillis) {

    public Dataset {
        defaultHorizons = List.copyOf(defaultHorizons);
    }

    /** The file's path inside {@code dataDirectory}. */
    public Path file(Path dataDirectory) {
        return dataDirectory.resolve(fileName);
    }

    /**
     * Reads the dataset from {@code dataDirectory} (see {@link
     * DatasetCatalog#locateDataDirectory(Path)}).
     *
     * @throws IOException if the file is missing, unreadable or malformed
     */
    public TimeSeriesTable read(Path dataDirectory) throws IOException {
        Path file = file(dataDirectory);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "dataset "
                            + name
                            + ": "
                            + file
                            + " does not exist (expected "
                            + fileName
                            + ")");
        }
        return TimeSeriesTable.read(file);
    }

    /** The split borders of this dataset's series of {@code rows} rows. */
    public SplitBorders borders(int rows) {
        return splitRule.borders(rows);
    }

    /**
     * Reads the dataset and cuts it into standardised windows under the standard protocol.
     *
     * @throws IOException if the file is missing, unreadable or malformed
     */
    public ForecastSplits splits(
            Path dataDirectory, ForecastProtocol protocol, int lookback, int horizon)
            throws IOException {
        TimeSeriesTable table = read(dataDirectory);
        return protocol.splits(table, borders(table.rows()), target, lookback, horizon);
    }
}
