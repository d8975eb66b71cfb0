package io.blurstream.model;

import java.util.Arrays;

/**
 * The per-channel standardisation fitted on the training data: the network sees {@code (x - mean) /
 * std} and its output is mapped back with the inverse. Immutable.
 */
public record Scaler(double[] mean, double[] std) {

    public Scaler {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(
                    "scaler.mean and scaler.std must be non-empty and of equal length");
        }
        mean = mean.clone();
        std = std.clone();
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c])) {
                throw new IllegalArgumentException(
                        "scaler.mean[" + c + "] must be finite, got " + mean[c]);
            }
            if (!(std[c] > 0 && Double.isFinite(std[c]))) {
                throw new IllegalArgumentException(
                        "scaler.std[" + c + "] must be finite and > 0, got " + std[c]);
            }
        }
    }

    /** The identity scaler for {@code channels} channels. */
    public static Scaler identity(int channels) {
        double[] ones = new double[channels];
        Arrays.fill(ones, 1.0);
        return new Scaler(new double[channels], ones);
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public double mean(int channel) {
        return mean[channel];
    }

    public double std(int channel) {
        return std[channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaler s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Scaler[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
