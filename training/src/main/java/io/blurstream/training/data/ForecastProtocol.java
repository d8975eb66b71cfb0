package io.blurstream.training.data;

/**
 * The standard long-horizon forecasting protocol of the Informer / Autoformer / DLinear / PatchTST
 * / iTransformer literature, in its two channel settings.
 *
 * <p>Given split borders {@code B1 < B2 < B3}, lookback {@code L} and horizon {@code F}:
 *
 * <ul>
 *   <li>a standard scaler (per-channel mean and <em>population</em> standard deviation, as
 *       scikit-learn's {@code StandardScaler}) is fitted on rows {@code [0, B1)} only and applied
 *       to every row, so no statistic of the validation or test period leaks into training;
 *   <li>training windows come from rows {@code [0, B1)}, validation windows from {@code [B1 - L,
 *       B2)} and test windows from {@code [B2 - L, B3)}: the later splits reach back {@code L} rows
 *       so that their first forecast starts exactly at their border;
 *   <li>windows advance by one row, so a split of {@code n} rows holds {@code n - L - F + 1}.
 * </ul>
 *
 * Errors are measured on the standardised values, as the papers report them.
 */
public enum ForecastProtocol {
    /** Every channel is input and output ({@code features='M'} in the reference code). */
    MULTIVARIATE,
    /** Only the target channel, on its own ({@code features='S'}). */
    UNIVARIATE;

    /**
     * Cuts {@code table} into standardised training, validation and test windows.
     *
     * @param target the target channel, the only one used by {@link #UNIVARIATE}; must exist in the
     *     table for both settings, so that a typo fails the same way in either
     * @throws IllegalArgumentException if a split is too short for one window, the training part is
     *     shorter than the lookback, or the borders lie beyond the table
     */
    public ForecastSplits splits(
            TimeSeriesTable table, SplitBorders borders, String target, int lookback, int horizon) {
        int targetIndex = table.columnIndex(target);
        int[] channels;
        if (this == UNIVARIATE) {
            channels = new int[] {targetIndex};
        } else {
            channels = new int[table.channels()];
            for (int c = 0; c < channels.length; c++) {
                channels[c] = c;
            }
        }
        return new ForecastSplits(this, table, channels, borders, lookback, horizon);
    }
}
