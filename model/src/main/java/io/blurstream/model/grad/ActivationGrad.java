package io.blurstream.model.grad;

import io.blurstream.model.kernel.Activations;

/** Derivatives of the block's nonlinear projection, GELU then GLU. */
final class ActivationGrad {

    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    private ActivationGrad() {}

    /**
     * {@code dy[i] *= GELU'(y[i])} with {@code GELU'(x) = Φ(x) + x·φ(x)}. Φ comes from the same erf
     * approximation as the forward pass ({@code |error| < 1.5e-7}), so the derivative matches it to
     * float precision.
     */
    static void geluBackward(float[] y, float[] dy, int count) {
        for (int i = 0; i < count; i++) {
            float x = y[i];
            float gelu = Activations.gelu(x);
            // Φ(x) = GELU(x)/x away from 0; near 0 use the limit 1/2 to avoid 0/0
            float cdf = Math.abs(x) > 1e-4f ? gelu / x : 0.5f + x * INV_SQRT_2PI;
            float pdf = INV_SQRT_2PI * (float) Math.exp(-0.5f * x * x);
            dy[i] *= cdf + x * pdf;
        }
    }

    /**
     * Gradient of {@code g = v ⊙ σ(u)} for rows of {@code [v | u]} ({@code 2h} wide): writes {@code
     * dIn = [dg ⊙ σ(u) | dg ⊙ v ⊙ σ(u)(1-σ(u))]}.
     */
    static void gluBackward(float[] in, float[] dg, int rows, int h, float[] dIn) {
        for (int r = 0; r < rows; r++) {
            int src = r * 2 * h;
            int g = r * h;
            for (int j = 0; j < h; j++) {
                float v = in[src + j];
                float s = Activations.sigmoid(in[src + h + j]);
                float d = dg[g + j];
                dIn[src + j] = d * s;
                dIn[src + h + j] = d * v * s * (1 - s);
            }
        }
    }
}
