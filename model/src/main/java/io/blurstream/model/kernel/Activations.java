package io.blurstream.model.kernel;

/**
 * Element-wise non-linearities of the BLUR block, in place on contiguous float ranges.
 *
 * <p>GELU is the exact (erf) form, {@code x·Φ(x)}, with {@code erf} from Abramowitz &amp; Stegun
 * 7.1.26 (absolute error ≤ 1.5e-7, below float resolution of the result for all practical inputs).
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

    // exp(x) = 2^n · e^r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, e^r by its Taylor series
    static final float EXP_MIN = -87.3f;
    static final float EXP_MAX = 88.0f;
    static final float LOG2E = 1.44269504088896341f;

    /** 1.5·2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    static final float ROUNDING_MAGIC = 12582912f;

    static final int ROUNDING_MAGIC_BITS = 0x4B400000;

    /** ln 2 split in two so that n·LN2_HIGH is exact (Cody and Waite). */
    static final float LN2_HIGH = 0.693359375f;

    static final float LN2_LOW = -2.12194440e-4f;
    static final float EXP_C2 = 1f / 2;
    static final float EXP_C3 = 1f / 6;
    static final float EXP_C4 = 1f / 24;
    static final float EXP_C5 = 1f / 120;
    static final float EXP_C6 = 1f / 720;

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
     * Gated linear unit over rows of {@code 2h} values (value half, then gate half): {@code
     * out[r][j] = in[r][j] · σ(in[r][h + j])}, or {@code +=} when {@code accumulate}.
     */
    public static void glu(
            float[] in,
            int inOff,
            int rows,
            int h,
            float[] out,
            int outOff,
            int ldOut,
            boolean accumulate) {
        if (VECTOR) {
            VectorActivations.glu(in, inOff, rows, h, out, outOff, ldOut, accumulate);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int src = inOff + r * 2 * h;
            int dst = outOff + r * ldOut;
            for (int j = 0; j < h; j++) {
                float g = in[src + j] * sigmoid(in[src + h + j]);
                out[dst + j] = accumulate ? out[dst + j] + g : g;
            }
        }
    }

    /**
     * {@code x[i] = GELU(x[i])} and {@code deriv[dOff + i - off] = GELU'(x[i])} (of the input), the
     * forward pass of training, which keeps the derivative for the backward pass.
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
     * σ(u))]}.
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
        float a = Math.abs(x) * INV_SQRT2;
        float e = exp(-(a * a));
        float q = halfErfc(a, e);
        float cdf = x < 0 ? q : 1 - q;
        return x * e * INV_SQRT_2PI + cdf;
    }

    /** Scalar exact-form GELU. */
    public static float gelu(float x) {
        // x·Φ(x) = x·(1 + erf(x/√2))/2; with q = (1 - erf(|x|/√2))/2 this is x·(1-q) for x ≥ 0
        // and x·q for x < 0, which avoids cancellation for large negative x.
        float a = Math.abs(x) * INV_SQRT2;
        float q = halfErfc(a, exp(-(a * a)));
        return x < 0 ? x * q : x * (1 - q);
    }

    /**
     * {@code (1 - erf(a)) / 2} for {@code a ≥ 0}, given {@code e = exp(-a²)}: Abramowitz and Stegun
     * 7.1.26 with the operations of the vector version, in the same order, so a value is the same
     * whichever path computes it.
     */
    static float halfErfc(float a, float e) {
        float t = 1f / Math.fma(a, ERF_P, 1f);
        float poly = Math.fma(t, ERF_A5, ERF_A4);
        poly = Math.fma(poly, t, ERF_A3);
        poly = Math.fma(poly, t, ERF_A2);
        poly = Math.fma(poly, t, ERF_A1);
        poly = poly * t;
        return poly * e * 0.5f;
    }

    public static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    /**
     * {@code e^x} in float, with the same operations as the vector version, so results are
     * identical bit for bit between the two and between JIT tiers. ({@link Math#exp} and the Vector
     * API's {@code EXP} may differ in the last bit between the interpreter and compiled code, which
     * would make training runs with the same seed diverge.) Relative error below 2e-7. Arguments
     * are clamped to {@code [-87.3, 88]}: no subnormal results, no overflow.
     */
    public static float exp(float x) {
        float clamped = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = Math.fma(clamped, LOG2E, ROUNDING_MAGIC);
        float n = t - ROUNDING_MAGIC;
        float r = n * -LN2_HIGH + clamped;
        r = n * -LN2_LOW + r;
        float p = Math.fma(r, EXP_C6, EXP_C5);
        p = Math.fma(p, r, EXP_C4);
        p = Math.fma(p, r, EXP_C3);
        p = Math.fma(p, r, EXP_C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = (Float.floatToRawIntBits(t) - ROUNDING_MAGIC_BITS + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }
}
