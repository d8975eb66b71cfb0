package io.blurstream.training.data;

/** How a benchmark dataset's split borders are found, following its reference data loader. */
public enum SplitRule {
    /**
     * {@code Dataset_ETT_hour}: 12, 4 and 4 months of 30 days at 24 rows a day, so 8,640 / 11,520 /
     * 14,400 whatever the file's length.
     */
    ETT_HOURLY(new SplitBorders(12 * 30 * 24, 16 * 30 * 24, 20 * 30 * 24)),
    /** {@code Dataset_ETT_minute}: the same months at 96 rows a day, 34,560 / 46,080 / 57,600. */
    ETT_15_MINUTES(new SplitBorders(12 * 30 * 96, 16 * 30 * 96, 20 * 30 * 96)),
    /** {@code Dataset_Custom}: {@link SplitBorders#ratio70_10_20}. */
    RATIO_70_10_20(null);

    private final SplitBorders fixed;

    SplitRule(SplitBorders fixed) {
        this.fixed = fixed;
    }

    /**
     * The borders for a series of {@code rows} rows.
     *
     * @throws IllegalArgumentException if a fixed rule's test end lies beyond the series
     */
    public SplitBorders borders(int rows) {
        if (fixed == null) {
            return SplitBorders.ratio70_10_20(rows);
        }
        if (rows < fixed.testEnd()) {
            throw new IllegalArgumentException(
                    this
                            + " needs at least "
                            + fixed.testEnd()
                            + " rows (its test split ends there), the series has "
                            + rows);
        }
        return fixed;
    }
}
