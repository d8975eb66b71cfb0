package io.blurstream.training.data;

import io.blurstream.model.Scaler;

/**
 * The windows of one split (training, validation or test): window {@code i} has as input the {@code
 * L} rows starting at row {@link #inputRow(int) firstRow + i} of the series and as target the
 * {@code F} rows after them. Windows are copied out row-major ({@code rows × C}, a row's channels
 * contiguous, as the {@code Forecaster} takes them) into arrays the caller owns, so a training loop
 * allocates nothing per batch.
 *
 * <p>Immutable and safe to read from several threads.
 */
public final class WindowedSplit {

    private final String name;
    private final double[] raw;
    private final float[] standardised;
    private final int channels;
    private final int firstRow;
    private final int endRow;
    private final int lookback;
    private final int horizon;
    private final int count;
    private final Scaler scaler;

    /**
     * @param raw the unstandardised series, row-major, shared with the other splits
     * @param standardised the same series standardised with {@code scaler}
     * @param firstRow first row of this split (window 0's first input row)
     * @param endRow one past the last row (the last window's last target row)
     */
    WindowedSplit(
            String name,
            double[] raw,
            float[] standardised,
            int channels,
            int firstRow,
            int endRow,
            int lookback,
            int horizon,
            Scaler scaler) {
        int count = endRow - firstRow - lookback - horizon + 1;
        if (count < 1) {
            throw new IllegalArgumentException(
                    "the "
                            + name
                            + " split has "
                            + (endRow - firstRow)
                            + " rows, too few for one window of lookback "
                            + lookback
                            + " + horizon "
                            + horizon);
        }
        this.name = name;
        this.raw = raw;
        this.standardised = standardised;
        this.channels = channels;
        this.firstRow = firstRow;
        this.endRow = endRow;
        this.lookback = lookback;
        this.horizon = horizon;
        this.count = count;
        this.scaler = scaler;
    }

    /** {@code train}, {@code validation} or {@code test}. */
    public String name() {
        return name;
    }

    /** Number of windows: rows of the split minus {@code L + F - 1}. */
    public int count() {
        return count;
    }

    /** Input rows per window, {@code L}. */
    public int lookback() {
        return lookback;
    }

    /** Target rows per window, {@code F}. */
    public int horizon() {
        return horizon;
    }

    /** Channels per row, {@code C}. */
    public int channels() {
        return channels;
    }

    /** Floats in one input window, {@code L × C}. */
    public int inputSize() {
        return lookback * channels;
    }

    /** Floats in one target window, {@code F × C}. */
    public int targetSize() {
        return horizon * channels;
    }

    /** First row of the series this split reads (window 0's first input row). */
    public int firstRow() {
        return firstRow;
    }

    /** One past the last row of the series this split reads. */
    public int endRow() {
        return endRow;
    }

    /** Row of the series holding window {@code window}'s first input step. */
    public int inputRow(int window) {
        checkWindow(window);
        return firstRow + window;
    }

    /** Row of the series holding window {@code window}'s first target step. */
    public int targetRow(int window) {
        return inputRow(window) + lookback;
    }

    /** The scaler the values are standardised with (fitted on the training rows). */
    public Scaler scaler() {
        return scaler;
    }

    /** Copies window {@code window}'s standardised input, {@code L × C} floats, to {@code dst}. */
    public void copyInput(int window, float[] dst, int offset) {
        System.arraycopy(standardised, inputRow(window) * channels, dst, offset, inputSize());
    }

    /** Copies window {@code window}'s standardised target, {@code F × C} floats, to {@code dst}. */
    public void copyTarget(int window, float[] dst, int offset) {
        System.arraycopy(standardised, targetRow(window) * channels, dst, offset, targetSize());
    }

    /** Copies window {@code window}'s input as read from the file, {@code L × C} values. */
    public void copyRawInput(int window, double[] dst, int offset) {
        System.arraycopy(raw, inputRow(window) * channels, dst, offset, inputSize());
    }

    /** Copies window {@code window}'s target as read from the file, {@code F × C} values. */
    public void copyRawTarget(int window, double[] dst, int offset) {
        System.arraycopy(raw, targetRow(window) * channels, dst, offset, targetSize());
    }

    private void checkWindow(int window) {
        if (window < 0 || window >= count) {
            throw new IndexOutOfBoundsException(
                    "window " + window + " of the " + name + " split, which has " + count);
        }
    }
}
