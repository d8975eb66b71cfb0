package io.blurstream.training.eval;

/**
 * Mean squared and mean absolute error over {@code count} forecast values.
 *
 * @param mse mean of {@code (forecast − target)²}
 * @param mae mean of {@code |forecast − target|}
 * @param count number of values (windows × horizon steps × channels)
 */
public record ForecastErrors(double mse, double mae, long count) {

    @Override
    public String toString() {
        return String.format("MSE %.4f, MAE %.4f over %d values", mse, mae, count);
    }
}
