package io.blurstream.model.kernel;

/**
 * Element-wise non-linearities of the BLUR block, in place on contiguous float ranges.
 *
 * <p>GELU is the exact (erf) form, {@code x·Φ(x)}, with {@code erf} from Abramowitz &amp; Stegun
 * 7.1.26 (absolute error ≤ 1.5e-7, below float resolution of the result for all practical inputs).
 *
 * <p>The training path ({@link #glu}, {@link #geluWithDerivative}, {@link #gluBackward}) gives the
 * same bits in every JIT tier, so a training run repeats bit for bit: its exponentials come from
 * {@link Math#exp}, which HotSpot computes with one stub in the interpreter, C1 and C2. The Vector
 * API's {@code EXP} does not: C2 calls a vector math library, the other tiers {@code Math.exp} per
 * lane, and a run would drift by an ulp wherever a method was still warming up. The serving path
 * ({@link #gelu}, {@link #addGlu}) keeps the vector {@code EXP}, which is faster.
 */
public final class Activations {

    private static final boolean VECTOR = KernelMode.active() == KernelMode.VECTOR;

    static final float ERF_P = 0.3275911f;
    static final float ERF_A1 = 0.254829592f;
    static final float ERF_A2 = -0.284496736f;
    static final float ERF_A3 = 1.421413741f;
    static final float ERF_A4 = -1.453152027f;
    static final float ERF_A5 = 1.061405429f;
    static final float INV_SQRT2 = 0.70710678118654752f;
    static final float INV_SQRT_2PI = 0.39894228040143268f;

    private Activations() {}

    /** {@code x[i] = GELU(x[i])} for {@code i} in {@code [off, off + count)}. */
    public static void gelu(float[] x, int off, int count) {
        if (VECTOR) {
            VectorActivations.gelu(x, off, count);
        } else {
            for (int i = off; i < off + count; i++) {
                x[i] = gelu(x[i]);
            }
        }
    }

    /**
     * {@code dst[r][j] = scale[j] · src[r][j]} over {@code rows} contiguous rows of {@code width}
     * values (the skip term {@code D ⊙ z} of a block).
     */
    public static void scaleRows(
            float[] src, int srcOff, float[] scale, float[] dst, int dstOff, int rows, int width) {
        if (VECTOR) {
            VectorActivations.scaleRows(src, srcOff, scale, dst, dstOff, rows, width);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            for (int j = 0; j < width; j++) {
                dst[dstOff + row + j] = scale[j] * src[srcOff + row + j];
            }
        }
    }

    /**
     * Gated linear unit added to a residual stream, the serving path: {@code out[r][j] += in[r][j]
     * · σ(in[r][h + j])} over rows of {@code 2h} values (value half, then gate half).
     */
    public static void addGlu(
            float[] in, int inOff, int rows, int h, float[] out, int outOff, int ldOut) {
        if (VECTOR) {
            VectorActivations.addGlu(in, inOff, rows, h, out, outOff, ldOut);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int src = inOff + r * 2 * h;
            int dst = outOff + r * ldOut;
            for (int j = 0; j < h; j++) {
                out[dst + j] += in[src + j] * sigmoid(in[src + h + j]);
            }
        }
    }

    /**
     * Gated linear unit into {@code out} (rows of {@code h}, no gaps), the training path: {@code
     * out[r][j] = in[r][j] · σ(in[r][h + j])}. Bit-reproducible: see the class comment.
     */
    public static void glu(float[] in, int rows, int h, float[] out) {
        if (VECTOR) {
            VectorActivations.glu(in, rows, h, out);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                out[r * h + j] = in[r * 2 * h + j] * sigmoid(in[r * 2 * h + h + j]);
            }
        }
    }

    /**
     * {@code x[i] = GELU(x[i])} and {@code deriv[dOff + i - off] = GELU'(x[i])} (of the input), the
     * forward pass of training, which keeps the derivative for the backward pass. Bit-reproducible:
     * see the class comment.
     */
    public static void geluWithDerivative(float[] x, int off, int count, float[] deriv, int dOff) {
        if (VECTOR) {
            VectorActivations.geluWithDerivative(x, off, count, deriv, dOff);
        } else {
            for (int i = off; i < off + count; i++) {
                deriv[dOff + i - off] = geluDerivative(x[i]);
                x[i] = gelu(x[i]);
            }
        }
    }

    /**
     * Backward pass of {@link #glu} for rows of {@code [v | u]} ({@code 2h} wide, no gaps) and
     * output gradients {@code dg} ({@code h} wide): {@code dIn = [dg ⊙ σ(u) | dg ⊙ v ⊙ σ(u)(1 -
     * σ(u))]}. Bit-reproducible: see the class comment.
     */
    public static void gluBackward(float[] in, float[] dg, int rows, int h, float[] dIn) {
        if (VECTOR) {
            VectorActivations.gluBackward(in, dg, rows, h, dIn);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                gluBackwardScalar(in, dg, dIn, r * 2 * h, r * h, h, j);
            }
        }
    }

    static void gluBackwardScalar(
            float[] in, float[] dg, float[] dIn, int src, int g, int h, int j) {
        float v = in[src + j];
        float s = sigmoid(in[src + h + j]);
        float d = dg[g + j];
        dIn[src + j] = d * s;
        dIn[src + h + j] = d * v * s * (1 - s);
    }

    /**
     * {@code GELU'(x) = Φ(x) + x·φ(x)}, with Φ from the same erf approximation as {@link
     * #gelu(float)}, so the derivative matches the forward pass to float precision.
     */
    public static float geluDerivative(float x) {
        float q = halfErfc(Math.abs(x) * INV_SQRT2);
        float cdf = x >= 0 ? 1 - q : q;
        return cdf + x * INV_SQRT_2PI * (float) Math.exp(-0.5f * x * x);
    }

    /** Scalar exact-form GELU. */
    public static float gelu(float x) {
        // x·Φ(x) = x·(1 + erf(x/√2))/2; with q = (1 - erf(|x|/√2))/2 this is x·(1-q) for x ≥ 0
        // and x·q for x < 0, which avoids cancellation for large negative x.
        float q = halfErfc(Math.abs(x) * INV_SQRT2);
        return x >= 0 ? x * (1 - q) : x * q;
    }

    /** {@code (1 - erf(a)) / 2} for {@code a ≥ 0}. */
    static float halfErfc(float a) {
        float t = 1f / (1f + ERF_P * a);
        float poly = t * (ERF_A1 + t * (ERF_A2 + t * (ERF_A3 + t * (ERF_A4 + t * ERF_A5))));
        return 0.5f * poly * (float) Math.exp(-a * a);
    }

    public static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }
}
