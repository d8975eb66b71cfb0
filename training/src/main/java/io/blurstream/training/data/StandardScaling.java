package io.blurstream.training.data;

import io.blurstream.model.Scaler;

/** Fitting and applying the per-channel standard scaler on row-major {@code rows × C} data. */
public final class StandardScaling {

    private StandardScaling() {}

    /**
     * Fits mean and population standard deviation ({@code ddof = 0}, as scikit-learn's {@code
     * StandardScaler}) per channel over rows {@code [fromRow, toRow)}. Two passes (mean, then
     * squared deviations from it) rather than one pass of sums and sums of squares, which loses
     * digits when the mean is large against the spread (ILITOTAL, NUM. OF PROVIDERS). A channel
     * that is constant over those rows gets standard deviation 1, as scikit-learn does, so that it
     * maps to zero instead of dividing by zero.
     */
    public static Scaler fit(double[] values, int channels, int fromRow, int toRow) {
        if (channels < 1 || fromRow < 0 || toRow <= fromRow || toRow * channels > values.length) {
            throw new IllegalArgumentException(
                    "cannot fit a scaler on rows ["
                            + fromRow
                            + ", "
                            + toRow
                            + ") of "
                            + channels
                            + " channels in "
                            + values.length
                            + " values");
        }
        int n = toRow - fromRow;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int r = fromRow; r < toRow; r++) {
            for (int c = 0; c < channels; c++) {
                mean[c] += values[r * channels + c];
            }
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= n;
        }
        for (int r = fromRow; r < toRow; r++) {
            for (int c = 0; c < channels; c++) {
                double d = values[r * channels + c] - mean[c];
                std[c] += d * d;
            }
        }
        for (int c = 0; c < channels; c++) {
            std[c] = Math.sqrt(std[c] / n);
            if (std[c] == 0) {
                std[c] = 1;
            }
        }
        return new Scaler(mean, std);
    }

    /**
     * {@code (x - mean) / std} for every value, computed in double and rounded once to float32: the
     * same numbers the reference pipelines feed their float32 models.
     */
    public static float[] apply(Scaler scaler, double[] values, int channels) {
        if (scaler.channels() != channels || values.length % channels != 0) {
            throw new IllegalArgumentException(
                    "a scaler of "
                            + scaler.channels()
                            + " channels cannot standardise "
                            + values.length
                            + " values of "
                            + channels
                            + " channels");
        }
        double[] mean = scaler.mean();
        double[] std = scaler.std();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = i % channels;
            out[i] = (float) ((values[i] - mean[c]) / std[c]);
        }
        return out;
    }
}
