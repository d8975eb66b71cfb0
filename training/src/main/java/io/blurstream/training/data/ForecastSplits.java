package io.blurstream.training.data;

import io.blurstream.model.Scaler;
import java.util.ArrayList;
import java.util.List;

/**
 * The training, validation and test windows of one series under {@link ForecastProtocol}, with the
 * scaler fitted on the training rows. All three splits share one standardised float32 copy of the
 * series, so a window is a contiguous block of it and copying one is a single array copy.
 */
public final class ForecastSplits {

    private final ForecastProtocol protocol;
    private final List<String> channelNames;
    private final SplitBorders borders;
    private final int lookback;
    private final int horizon;
    private final Scaler scaler;
    private final WindowedSplit train;
    private final WindowedSplit validation;
    private final WindowedSplit test;

    ForecastSplits(
            ForecastProtocol protocol,
            TimeSeriesTable table,
            int[] channels,
            SplitBorders borders,
            int lookback,
            int horizon) {
        if (lookback < 1 || horizon < 1) {
            throw new IllegalArgumentException(
                    "lookback and horizon must be >= 1, got " + lookback + " and " + horizon);
        }
        if (borders.testEnd() > table.rows()) {
            throw new IllegalArgumentException(
                    "the test split ends at row "
                            + borders.testEnd()
                            + " but "
                            + table.source()
                            + " has "
                            + table.rows()
                            + " rows");
        }
        if (borders.trainEnd() < lookback) {
            throw new IllegalArgumentException(
                    "the training split ("
                            + borders.trainEnd()
                            + " rows) is shorter than the lookback "
                            + lookback
                            + ", so the validation windows cannot reach back across its border");
        }
        this.protocol = protocol;
        this.borders = borders;
        this.lookback = lookback;
        this.horizon = horizon;
        List<String> names = new ArrayList<>();
        for (int c : channels) {
            names.add(table.columns().get(c));
        }
        this.channelNames = List.copyOf(names);

        int width = channels.length;
        int rows = borders.testEnd();
        double[] raw = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                raw[r * width + c] = table.value(r, channels[c]);
            }
        }
        this.scaler = StandardScaling.fit(raw, width, 0, borders.trainEnd());
        float[] standardised = StandardScaling.apply(scaler, raw, width);

        this.train =
                new WindowedSplit(
                        "train",
                        raw,
                        standardised,
                        width,
                        0,
                        borders.trainEnd(),
                        lookback,
                        horizon,
                        scaler);
        this.validation =
                new WindowedSplit(
                        "validation",
                        raw,
                        standardised,
                        width,
                        borders.trainEnd() - lookback,
                        borders.validationEnd(),
                        lookback,
                        horizon,
                        scaler);
        this.test =
                new WindowedSplit(
                        "test",
                        raw,
                        standardised,
                        width,
                        borders.validationEnd() - lookback,
                        borders.testEnd(),
                        lookback,
                        horizon,
                        scaler);
    }

    public ForecastProtocol protocol() {
        return protocol;
    }

    /** The channels of every window, in window order. */
    public List<String> channelNames() {
        return channelNames;
    }

    /** Channels per row of a window, {@code C}. */
    public int channels() {
        return channelNames.size();
    }

    public SplitBorders borders() {
        return borders;
    }

    /** Input rows per window, {@code L}. */
    public int lookback() {
        return lookback;
    }

    /** Target rows per window, {@code F}. */
    public int horizon() {
        return horizon;
    }

    /** The standard scaler fitted on the training rows, one entry per channel. */
    public Scaler scaler() {
        return scaler;
    }

    public WindowedSplit train() {
        return train;
    }

    public WindowedSplit validation() {
        return validation;
    }

    public WindowedSplit test() {
        return test;
    }
}
