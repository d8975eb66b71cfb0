package io.blurstream.training.data;

/**
 * Where a series is cut into training, validation and test parts: data-row indices (0-based, the
 * header not counted) of the exclusive end of each part. Training is {@code [0, trainEnd)},
 * validation {@code [trainEnd, validationEnd)}, test {@code [validationEnd, testEnd)}; rows from
 * {@code testEnd} on are not used. How windows reach back across a border is {@link
 * ForecastProtocol}'s business.
 */
public record SplitBorders(int trainEnd, int validationEnd, int testEnd) {

    public SplitBorders {
        if (!(0 < trainEnd && trainEnd < validationEnd && validationEnd < testEnd)) {
            throw new IllegalArgumentException(
                    "split borders must satisfy 0 < trainEnd < validationEnd < testEnd, got "
                            + trainEnd
                            + ", "
                            + validationEnd
                            + ", "
                            + testEnd);
        }
    }

    /**
     * The 70 / 10 / 20 rule of the Autoformer and Time-Series-Library {@code Dataset_Custom}
     * loader: {@code train = int(rows * 0.7)}, {@code test = int(rows * 0.2)}, validation gets the
     * rest, and the three parts use every row. The products are computed in double and truncated,
     * exactly as Python's {@code int()} does.
     */
    public static SplitBorders ratio70_10_20(int rows) {
        int train = (int) (rows * 0.7);
        int test = (int) (rows * 0.2);
        int validation = rows - train - test;
        return new SplitBorders(train, train + validation, rows);
    }
}
