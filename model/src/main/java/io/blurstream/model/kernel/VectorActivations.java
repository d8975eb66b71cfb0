package io.blurstream.model.kernel;

import static io.blurstream.model.kernel.Activations.ERF_A1;
import static io.blurstream.model.kernel.Activations.ERF_A2;
import static io.blurstream.model.kernel.Activations.ERF_A3;
import static io.blurstream.model.kernel.Activations.ERF_A4;
import static io.blurstream.model.kernel.Activations.ERF_A5;
import static io.blurstream.model.kernel.Activations.ERF_P;
import static io.blurstream.model.kernel.Activations.INV_SQRT2;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API versions of {@link Activations}, same formulas lane by lane. */
final class VectorActivations {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivations() {}

    static void gelu(float[] x, int off, int count) {
        int end = off + count;
        int vectorEnd = off + count - count % L;
        int i = off;
        for (; i < vectorEnd; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector a = v.abs().mul(INV_SQRT2);
            FloatVector t = a.fma(ERF_P, 1f);
            t = FloatVector.broadcast(S, 1f).div(t);
            FloatVector poly = t.fma(ERF_A5, ERF_A4);
            poly = poly.fma(t, FloatVector.broadcast(S, ERF_A3));
            poly = poly.fma(t, FloatVector.broadcast(S, ERF_A2));
            poly = poly.fma(t, FloatVector.broadcast(S, ERF_A1));
            poly = poly.mul(t);
            FloatVector q = poly.mul(a.mul(a).neg().lanewise(VectorOperators.EXP)).mul(0.5f);
            FloatVector phi = q.neg().add(1f).blend(q, v.compare(VectorOperators.LT, 0f));
            v.mul(phi).intoArray(x, i);
        }
        for (; i < end; i++) {
            x[i] = Activations.gelu(x[i]);
        }
    }

    /**
     * GELU in place, and its derivative {@code Φ(x) + x·φ(x)} of the input into {@code deriv}. The
     * exponentials are computed first, scalar, into {@code deriv} (see {@link Activations}).
     */
    static void geluWithDerivative(float[] x, int off, int count, float[] deriv, int dOff) {
        int end = off + count;
        int vectorEnd = off + count - count % L;
        for (int i = off; i < vectorEnd; i++) {
            float a = Math.abs(x[i]) * INV_SQRT2;
            deriv[dOff + (i - off)] = (float) Math.exp(-(a * a));
        }
        int i = off;
        for (; i < vectorEnd; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector a = v.abs().mul(INV_SQRT2);
            FloatVector t = a.fma(ERF_P, 1f);
            t = FloatVector.broadcast(S, 1f).div(t);
            FloatVector poly = t.fma(ERF_A5, ERF_A4);
            poly = poly.fma(t, FloatVector.broadcast(S, ERF_A3));
            poly = poly.fma(t, FloatVector.broadcast(S, ERF_A2));
            poly = poly.fma(t, FloatVector.broadcast(S, ERF_A1));
            poly = poly.mul(t);
            // exp(-a²) = exp(-x²/2): the same exponential gives erfc and the normal density
            FloatVector e = FloatVector.fromArray(S, deriv, dOff + (i - off));
            FloatVector q = poly.mul(e).mul(0.5f);
            FloatVector phi = q.neg().add(1f).blend(q, v.compare(VectorOperators.LT, 0f));
            v.mul(e).mul(Activations.INV_SQRT_2PI).add(phi).intoArray(deriv, dOff + (i - off));
            v.mul(phi).intoArray(x, i);
        }
        for (; i < end; i++) {
            deriv[dOff + (i - off)] = Activations.geluDerivative(x[i]);
            x[i] = Activations.gelu(x[i]);
        }
    }

    static void gluBackward(float[] in, float[] dg, int rows, int h, float[] dIn) {
        int vectorEnd = h - h % L;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int src = r * 2 * h;
            int g = r * h;
            // exp(-gate), scalar (see Activations), parked in the gate half of dIn
            for (int j = 0; j < vectorEnd; j++) {
                dIn[src + h + j] = (float) Math.exp(-in[src + h + j]);
            }
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector value = FloatVector.fromArray(S, in, src + j);
                FloatVector d = FloatVector.fromArray(S, dg, g + j);
                FloatVector e = FloatVector.fromArray(S, dIn, src + h + j);
                FloatVector sig = one.div(e.add(one));
                d.mul(sig).intoArray(dIn, src + j);
                d.mul(value).mul(sig).mul(one.sub(sig)).intoArray(dIn, src + h + j);
            }
            for (; j < h; j++) {
                Activations.gluBackwardScalar(in, dg, dIn, src, g, h, j);
            }
        }
    }

    static void scaleRows(
            float[] src, int srcOff, float[] scale, float[] dst, int dstOff, int rows, int width) {
        int vectorEnd = width - width % L;
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * width;
            int to = dstOff + r * width;
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector.fromArray(S, src, from + j)
                        .mul(FloatVector.fromArray(S, scale, j))
                        .intoArray(dst, to + j);
            }
            for (; j < width; j++) {
                dst[to + j] = scale[j] * src[from + j];
            }
        }
    }

    static void addGlu(float[] in, int inOff, int rows, int h, float[] out, int outOff, int ldOut) {
        int vectorEnd = h - h % L;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int src = inOff + r * 2 * h;
            int dst = outOff + r * ldOut;
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector value = FloatVector.fromArray(S, in, src + j);
                FloatVector gate = FloatVector.fromArray(S, in, src + h + j);
                FloatVector sig = one.div(gate.neg().lanewise(VectorOperators.EXP).add(one));
                value.mul(sig).add(FloatVector.fromArray(S, out, dst + j)).intoArray(out, dst + j);
            }
            for (; j < h; j++) {
                out[dst + j] += in[src + j] * Activations.sigmoid(in[src + h + j]);
            }
        }
    }

    /** The training GLU: exp(-gate) first, scalar, into {@code out} (see {@link Activations}). */
    static void glu(float[] in, int rows, int h, float[] out) {
        int vectorEnd = h - h % L;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int src = r * 2 * h;
            int dst = r * h;
            for (int j = 0; j < vectorEnd; j++) {
                out[dst + j] = (float) Math.exp(-in[src + h + j]);
            }
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector value = FloatVector.fromArray(S, in, src + j);
                FloatVector e = FloatVector.fromArray(S, out, dst + j);
                value.mul(one.div(e.add(one))).intoArray(out, dst + j);
            }
            for (; j < h; j++) {
                out[dst + j] = in[src + j] * Activations.sigmoid(in[src + h + j]);
            }
        }
    }
}
