package io.blurstream.training.optim;

import java.util.List;

/** Rescaling gradients so that their joint L2 norm stays under a limit. */
public final class GradientClipping {

    /**
     * Added to the norm before dividing, as PyTorch's {@code clip_grad_norm_} does, so that the
     * clipped norm lands just under the limit and an exactly-at-limit norm is left alone.
     */
    private static final double EPSILON = 1e-6;

    private GradientClipping() {}

    /** The L2 norm of all gradients taken together, accumulated in double. */
    public static double globalNorm(List<TrainableTensor> tensors) {
        double sum = 0;
        for (TrainableTensor tensor : tensors) {
            float[] g = tensor.grads();
            for (int i = 0; i < g.length; i++) {
                sum += (double) g[i] * g[i];
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by {@code maxNorm / (norm + 1e-6)} if the global norm exceeds {@code
     * maxNorm}; otherwise leaves them alone.
     *
     * <p>A non-finite norm (a NaN or infinite gradient) leaves the gradients untouched: scaling
     * would turn every gradient into NaN and hide which tensor went wrong. The caller sees the
     * returned value and should skip the step.
     *
     * @return the global norm before clipping
     */
    public static double clipGlobalNorm(List<TrainableTensor> tensors, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(tensors);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + EPSILON));
            for (TrainableTensor tensor : tensors) {
                float[] g = tensor.grads();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= scale;
                }
            }
        }
        return norm;
    }
}
