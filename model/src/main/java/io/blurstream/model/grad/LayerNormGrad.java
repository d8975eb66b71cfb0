package io.blurstream.model.grad;

import io.blurstream.model.kernel.LayerNormKernel;

/**
 * Layer normalisation for training: the forward pass keeps each row's mean and inverse standard
 * deviation, and the backward pass turns the output gradient into input and parameter gradients.
 * Same arithmetic as {@link LayerNormKernel} (biased variance, {@link LayerNormKernel#EPS}).
 */
final class LayerNormGrad {

    private LayerNormGrad() {}

    /** {@code out = LN(x)} over {@code rows × width}; records {@code mean[r]}, {@code rstd[r]}. */
    static void forward(
            float[] x,
            float[] out,
            int rows,
            int width,
            float[] weight,
            float[] bias,
            float[] mean,
            float[] rstd) {
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            float sum = 0;
            for (int j = 0; j < width; j++) {
                sum += x[row + j];
            }
            float mu = sum / width;
            float squares = 0;
            for (int j = 0; j < width; j++) {
                float d = x[row + j] - mu;
                squares += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(squares / width + LayerNormKernel.EPS));
            mean[r] = mu;
            rstd[r] = inv;
            for (int j = 0; j < width; j++) {
                out[row + j] = (x[row + j] - mu) * inv * weight[j] + bias[j];
            }
        }
    }

    /**
     * Adds the input gradient to {@code dx} and the parameter gradients to {@code dWeight}, {@code
     * dBias}, given the output gradient {@code dOut} and the statistics of the forward pass.
     */
    static void backward(
            float[] x,
            float[] dOut,
            int rows,
            int width,
            float[] weight,
            float[] mean,
            float[] rstd,
            float[] dx,
            float[] grads,
            int dWeightOff,
            int dBiasOff) {
        float inverseWidth = 1f / width;
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            float mu = mean[r];
            float inv = rstd[r];
            float sumDxhat = 0;
            float sumDxhatXhat = 0;
            for (int j = 0; j < width; j++) {
                float xhat = (x[row + j] - mu) * inv;
                float g = dOut[row + j];
                float dxhat = g * weight[j];
                sumDxhat += dxhat;
                sumDxhatXhat += dxhat * xhat;
                grads[dWeightOff + j] += g * xhat;
                grads[dBiasOff + j] += g;
            }
            float meanDxhat = sumDxhat * inverseWidth;
            float meanDxhatXhat = sumDxhatXhat * inverseWidth;
            for (int j = 0; j < width; j++) {
                float xhat = (x[row + j] - mu) * inv;
                float dxhat = dOut[row + j] * weight[j];
                dx[row + j] += inv * (dxhat - meanDxhat - xhat * meanDxhatXhat);
            }
        }
    }
}
