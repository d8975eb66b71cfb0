package io.blurstream.model.kernel;

import static io.blurstream.model.kernel.Activations.ERF_A1;
import static io.blurstream.model.kernel.Activations.ERF_A2;
import static io.blurstream.model.kernel.Activations.ERF_A3;
import static io.blurstream.model.kernel.Activations.ERF_A4;
import static io.blurstream.model.kernel.Activations.ERF_A5;
import static io.blurstream.model.kernel.Activations.ERF_P;
import static io.blurstream.model.kernel.Activations.EXP_C2;
import static io.blurstream.model.kernel.Activations.EXP_C3;
import static io.blurstream.model.kernel.Activations.EXP_C4;
import static io.blurstream.model.kernel.Activations.EXP_C5;
import static io.blurstream.model.kernel.Activations.EXP_C6;
import static io.blurstream.model.kernel.Activations.EXP_MAX;
import static io.blurstream.model.kernel.Activations.EXP_MIN;
import static io.blurstream.model.kernel.Activations.INV_SQRT2;
import static io.blurstream.model.kernel.Activations.INV_SQRT_2PI;
import static io.blurstream.model.kernel.Activations.LN2_HIGH;
import static io.blurstream.model.kernel.Activations.LN2_LOW;
import static io.blurstream.model.kernel.Activations.LOG2E;
import static io.blurstream.model.kernel.Activations.ROUNDING_MAGIC;
import static io.blurstream.model.kernel.Activations.ROUNDING_MAGIC_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
            FloatVector arg = a.mul(a).neg();
            // exp(arg), as Activations.exp, written out: a vector helper method would box
            // its result whenever C2 declines to inline it
            FloatVector eIn = arg.max(EXP_MIN).min(EXP_MAX);
            FloatVector eT = eIn.fma(LOG2E, ROUNDING_MAGIC);
            FloatVector eN = eT.sub(ROUNDING_MAGIC);
            FloatVector eR = eN.mul(-LN2_HIGH).add(eIn);
            eR = eN.mul(-LN2_LOW).add(eR);
            FloatVector eP = eR.fma(EXP_C6, EXP_C5);
            eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C4));
            eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C3));
            eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C2));
            eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
            eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
            FloatVector e =
                    eP.mul(
                            eT.reinterpretAsInts()
                                    .sub(ROUNDING_MAGIC_BITS - 127)
                                    .lanewise(VectorOperators.LSHL, 23)
                                    .reinterpretAsFloats());
            FloatVector q = poly.mul(e).mul(0.5f);
            FloatVector phi = q.neg().add(1f).blend(q, v.compare(VectorOperators.LT, 0f));
            v.mul(phi).intoArray(x, i);
        }
        for (; i < end; i++) {
            x[i] = Activations.gelu(x[i]);
        }
    }

    /**
     * GELU in place, and, unless {@code deriv} is null, its derivative {@code Φ(x) + x·φ(x)} of the
     * input into {@code deriv}.
     */
    static void geluWithDerivative(float[] x, int off, int count, float[] deriv, int dOff) {
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
            // exp(-a²) = exp(-x²/2): the same exponential gives erfc and the normal density
            FloatVector arg = a.mul(a).neg();
            // exp(arg), as Activations.exp, written out: a vector helper method would box
            // its result whenever C2 declines to inline it
            FloatVector eIn = arg.max(EXP_MIN).min(EXP_MAX);
            FloatVector eT = eIn.fma(LOG2E, ROUNDING_MAGIC);
            FloatVector eN = eT.sub(ROUNDING_MAGIC);
            FloatVector eR = eN.mul(-LN2_HIGH).add(eIn);
            eR = eN.mul(-LN2_LOW).add(eR);
            FloatVector eP = eR.fma(EXP_C6, EXP_C5);
            eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C4));
            eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C3));
            eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C2));
            eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
            eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
            FloatVector e =
                    eP.mul(
                            eT.reinterpretAsInts()
                                    .sub(ROUNDING_MAGIC_BITS - 127)
                                    .lanewise(VectorOperators.LSHL, 23)
                                    .reinterpretAsFloats());
            FloatVector q = poly.mul(e).mul(0.5f);
            FloatVector phi = q.neg().add(1f).blend(q, v.compare(VectorOperators.LT, 0f));
            v.mul(e).mul(INV_SQRT_2PI).add(phi).intoArray(deriv, dOff + (i - off));
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
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector value = FloatVector.fromArray(S, in, src + j);
                FloatVector gate = FloatVector.fromArray(S, in, src + h + j);
                FloatVector d = FloatVector.fromArray(S, dg, g + j);
                FloatVector minusGate = gate.neg();
                // exp(minusGate), as Activations.exp, written out: a vector helper method would box
                // its result whenever C2 declines to inline it
                FloatVector eIn = minusGate.max(EXP_MIN).min(EXP_MAX);
                FloatVector eT = eIn.fma(LOG2E, ROUNDING_MAGIC);
                FloatVector eN = eT.sub(ROUNDING_MAGIC);
                FloatVector eR = eN.mul(-LN2_HIGH).add(eIn);
                eR = eN.mul(-LN2_LOW).add(eR);
                FloatVector eP = eR.fma(EXP_C6, EXP_C5);
                eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C4));
                eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C3));
                eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C2));
                eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
                eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
                FloatVector e =
                        eP.mul(
                                eT.reinterpretAsInts()
                                        .sub(ROUNDING_MAGIC_BITS - 127)
                                        .lanewise(VectorOperators.LSHL, 23)
                                        .reinterpretAsFloats());
                FloatVector sig = one.div(e.add(one));
                d.mul(sig).intoArray(dIn, src + j);
                d.mul(value).mul(sig).mul(one.sub(sig)).intoArray(dIn, src + h + j);
            }
            for (; j < h; j++) {
                Activations.gluBackwardScalar(in, dg, dIn, src, g, h, j);
            }
        }
    }

    static void glu(
            float[] in,
            int inOff,
            int rows,
            int h,
            float[] out,
            int outOff,
            int ldOut,
            boolean accumulate) {
        int vectorEnd = h - h % L;
        FloatVector one = FloatVector.broadcast(S, 1f);
        // Accumulating is a masked load (all lanes or none), not a branch in the loop: C2 boxes
        // vectors that live across a branch once both ways have been taken.
        VectorMask<Float> previous = S.maskAll(accumulate);
        for (int r = 0; r < rows; r++) {
            int src = inOff + r * 2 * h;
            int dst = outOff + r * ldOut;
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector value = FloatVector.fromArray(S, in, src + j);
                FloatVector gate = FloatVector.fromArray(S, in, src + h + j);
                FloatVector minusGate = gate.neg();
                // exp(minusGate), as Activations.exp, written out: a vector helper method would box
                // its result whenever C2 declines to inline it
                FloatVector eIn = minusGate.max(EXP_MIN).min(EXP_MAX);
                FloatVector eT = eIn.fma(LOG2E, ROUNDING_MAGIC);
                FloatVector eN = eT.sub(ROUNDING_MAGIC);
                FloatVector eR = eN.mul(-LN2_HIGH).add(eIn);
                eR = eN.mul(-LN2_LOW).add(eR);
                FloatVector eP = eR.fma(EXP_C6, EXP_C5);
                eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C4));
                eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C3));
                eP = eP.fma(eR, FloatVector.broadcast(S, EXP_C2));
                eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
                eP = eP.fma(eR, FloatVector.broadcast(S, 1f));
                FloatVector e =
                        eP.mul(
                                eT.reinterpretAsInts()
                                        .sub(ROUNDING_MAGIC_BITS - 127)
                                        .lanewise(VectorOperators.LSHL, 23)
                                        .reinterpretAsFloats());
                FloatVector sig = one.div(e.add(one));
                value.mul(sig)
                        .add(FloatVector.fromArray(S, out, dst + j, previous))
                        .intoArray(out, dst + j);
            }
            for (; j < h; j++) {
                float g = in[src + j] * Activations.sigmoid(in[src + h + j]);
                out[dst + j] = accumulate ? out[dst + j] + g : g;
            }
        }
    }
}
