package io.blurstream.model.kernel;

/**
 * Layer normalisation over the last dimension of row-major rows: {@code out = (x - mean) / sqrt(var
 * + eps) · weight + bias}, biased variance, two passes for accuracy.
 */
public final class LayerNormKernel {

    /** PyTorch's default epsilon, so weights trained there behave the same here. */
    public static final float EPS = 1e-5f;

    private static final boolean VECTOR = KernelMode.active() == KernelMode.VECTOR;

    private LayerNormKernel() {}

    public static void apply(
            float[] x,
            int xOff,
            int ldx,
            float[] out,
            int outOff,
            int ldOut,
            int rows,
            int width,
            float[] weight,
            float[] bias) {
        if (VECTOR) {
            VectorLayerNorm.apply(x, xOff, ldx, out, outOff, ldOut, rows, width, weight, bias);
        } else {
            scalar(x, xOff, ldx, out, outOff, ldOut, rows, width, weight, bias);
        }
    }

    static void scalar(
            float[] x,
            int xOff,
            int ldx,
            float[] out,
            int outOff,
            int ldOut,
            int rows,
            int width,
            float[] weight,
            float[] bias) {
        for (int r = 0; r < rows; r++) {
            int src = xOff + r * ldx;
            int dst = outOff + r * ldOut;
            float sum = 0;
            for (int j = 0; j < width; j++) {
                sum += x[src + j];
            }
            float mean = sum / width;
            float squares = 0;
            for (int j = 0; j < width; j++) {
                float d = x[src + j] - mean;
                squares += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(squares / width + EPS));
            for (int j = 0; j < width; j++) {
                out[dst + j] = (x[src + j] - mean) * inv * weight[j] + bias[j];
            }
        }
    }
}
