package io.blurstream.model.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API complex scan. Time is the outer loop and states the inner one: each step's states are
 * independent, so the vector lanes and the out-of-order core overlap the whole row, whereas a
 * state-outer loop would serialise on the latency of one fused multiply-add chain per step.
 */
final class VectorScan {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorScan() {}

    /**
     * @param first the offset of the first row in scan order
     * @param stride signed distance from one row to the next in scan order
     */
    static void scan(
            float[] buf,
            int first,
            int rows,
            int stride,
            int n,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] carry,
            int carryOff) {
        if (rows == 0) {
            return;
        }
        int vectorEnd = n - n % L;
        // step 0 reads the carry; later steps read the previous row
        for (int s = 0; s < vectorEnd; s += L) {
            step(
                    buf,
                    first,
                    s,
                    n,
                    lambdaRe,
                    lambdaIm,
                    carry,
                    carryOff + s,
                    carry,
                    carryOff + n + s);
        }
        for (int t = 1, row = first + stride; t < rows; t++, row += stride) {
            int prev = row - stride;
            for (int s = 0; s < vectorEnd; s += L) {
                step(buf, row, s, n, lambdaRe, lambdaIm, buf, prev + s, buf, prev + n + s);
            }
        }
        int last = first + (rows - 1) * stride;
        for (int s = 0; s < vectorEnd; s++) {
            carry[carryOff + s] = buf[last + s];
            carry[carryOff + n + s] = buf[last + n + s];
        }
        if (vectorEnd < n) {
            for (int s = vectorEnd; s < n; s++) {
                tailState(buf, first, rows, stride, n, s, lambdaRe, lambdaIm, carry, carryOff);
            }
        }
    }

    private static void step(
            float[] buf,
            int row,
            int s,
            int n,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] prevRe,
            int prevReIdx,
            float[] prevIm,
            int prevImIdx) {
        // no vector crosses a call boundary here: if C2 did not inline this method, a vector
        // argument would be boxed on every step
        FloatVector zero = FloatVector.zero(S);
        FloatVector lr = FloatVector.fromArray(S, lambdaRe, s);
        FloatVector li = FloatVector.fromArray(S, lambdaIm, s);
        FloatVector hr = FloatVector.fromArray(S, prevRe, prevReIdx);
        FloatVector hi = FloatVector.fromArray(S, prevIm, prevImIdx);
        FloatVector ur = FloatVector.fromArray(S, buf, row + s);
        FloatVector ui = FloatVector.fromArray(S, buf, row + n + s);
        FloatVector nr = lr.fma(hr, li.neg().fma(hi, ur));
        FloatVector ni = lr.fma(hi, li.fma(hr, ui));
        nr = nr.blend(zero, nr.abs().compare(VectorOperators.LT, ComplexScan.FLUSH_BELOW));
        ni = ni.blend(zero, ni.abs().compare(VectorOperators.LT, ComplexScan.FLUSH_BELOW));
        nr.intoArray(buf, row + s);
        ni.intoArray(buf, row + n + s);
    }

    private static void tailState(
            float[] buf,
            int first,
            int rows,
            int stride,
            int n,
            int s,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] carry,
            int carryOff) {
        float lr = lambdaRe[s];
        float li = lambdaIm[s];
        float hr = carry[carryOff + s];
        float hi = carry[carryOff + n + s];
        for (int t = 0, row = first; t < rows; t++, row += stride) {
            float nr = lr * hr - li * hi + buf[row + s];
            float ni = lr * hi + li * hr + buf[row + n + s];
            hr = Math.abs(nr) < ComplexScan.FLUSH_BELOW ? 0f : nr;
            hi = Math.abs(ni) < ComplexScan.FLUSH_BELOW ? 0f : ni;
            buf[row + s] = hr;
            buf[row + n + s] = hi;
        }
        carry[carryOff + s] = hr;
        carry[carryOff + n + s] = hi;
    }
}
