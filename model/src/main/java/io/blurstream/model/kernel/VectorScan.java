package io.blurstream.model.kernel;

import static jdk.incubator.vector.VectorOperators.ASHR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API complex scan. Each state's recurrence is a chain of dependent fused multiply-adds, so
 * states are scanned four vectors at a time: the time loop keeps their eight state vectors (real
 * and imaginary) in registers and advances four independent chains per step, which the out-of-order
 * core overlaps. Reading each step's previous state back from the row just stored would put a
 * store-to-load forwarding delay on every link of every chain.
 */
final class VectorScan {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * The integer lanes of {@link #S}. The flush reinterprets to and from it with {@code
     * reinterpretShape(BITS, 0)} and {@code reinterpretShape(S, 0)}, not with {@code
     * reinterpretAsInts()} and {@code reinterpretAsFloats()}: those look the target species up in
     * the JDK's species cache, and in 11 of 44 JVMs C2 did not fold that lookup to a constant
     * ("missing constant: vclass=DecodeN" under PrintIntrinsics); the whole scan loop then ran on
     * boxed vectors, 26 MB allocated per W = 4096 window, 25-45% slower. With these constant
     * species, 0 of 46 JVMs boxed (docs/benchmarks.md, twelfth session).
     */
    private static final VectorSpecies<Integer> BITS = VectorSpecies.of(int.class, S.vectorShape());

    private static final int L = S.length();

    /** Clears a float's sign bit: its magnitude's bits, which order like the magnitudes. */
    private static final int MAGNITUDE = 0x7FFFFFFF;

    /**
     * The largest magnitude's bits that are flushed: {@link ComplexScan#FLUSH_BELOW}'s minus one.
     */
    private static final int FLUSHED_UP_TO = Float.floatToRawIntBits(ComplexScan.FLUSH_BELOW) - 1;

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
        int wideEnd = n - n % (4 * L);
        int vectorEnd = n - n % L;
        for (int s = 0; s < wideEnd; s += 4 * L) {
            scanFourVectors(buf, first, rows, stride, n, s, lambdaRe, lambdaIm, carry, carryOff);
        }
        for (int s = wideEnd; s < vectorEnd; s += L) {
            scanOneVector(buf, first, rows, stride, n, s, lambdaRe, lambdaIm, carry, carryOff);
        }
        for (int s = vectorEnd; s < n; s++) {
            tailState(buf, first, rows, stride, n, s, lambdaRe, lambdaIm, carry, carryOff);
        }
    }

    /** States {@code [s, s + 4L)} over all rows, their state in registers. */
    private static void scanFourVectors(
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
        // all vectors stay inside this method: one passed to a call C2 did not inline would be
        // boxed on every step
        IntVector magnitude = IntVector.broadcast(BITS, MAGNITUDE);
        IntVector flushedUpTo = IntVector.broadcast(BITS, FLUSHED_UP_TO);
        FloatVector lr0 = FloatVector.fromArray(S, lambdaRe, s);
        FloatVector lr1 = FloatVector.fromArray(S, lambdaRe, s + L);
        FloatVector lr2 = FloatVector.fromArray(S, lambdaRe, s + 2 * L);
        FloatVector lr3 = FloatVector.fromArray(S, lambdaRe, s + 3 * L);
        FloatVector li0 = FloatVector.fromArray(S, lambdaIm, s);
        FloatVector li1 = FloatVector.fromArray(S, lambdaIm, s + L);
        FloatVector li2 = FloatVector.fromArray(S, lambdaIm, s + 2 * L);
        FloatVector li3 = FloatVector.fromArray(S, lambdaIm, s + 3 * L);
        FloatVector nli0 = li0.neg();
        FloatVector nli1 = li1.neg();
        FloatVector nli2 = li2.neg();
        FloatVector nli3 = li3.neg();
        int cr = carryOff + s;
        int ci = carryOff + n + s;
        FloatVector hr0 = FloatVector.fromArray(S, carry, cr);
        FloatVector hr1 = FloatVector.fromArray(S, carry, cr + L);
        FloatVector hr2 = FloatVector.fromArray(S, carry, cr + 2 * L);
        FloatVector hr3 = FloatVector.fromArray(S, carry, cr + 3 * L);
        FloatVector hi0 = FloatVector.fromArray(S, carry, ci);
        FloatVector hi1 = FloatVector.fromArray(S, carry, ci + L);
        FloatVector hi2 = FloatVector.fromArray(S, carry, ci + 2 * L);
        FloatVector hi3 = FloatVector.fromArray(S, carry, ci + 3 * L);
        for (int t = 0, re = first + s; t < rows; t++, re += stride) {
            int im = re + n;
            // h = λ·h + u, as (λr·hr − λi·hi + ur, λr·hi + λi·hr + ui); tiny states flushed
            FloatVector nr0 = lr0.fma(hr0, nli0.fma(hi0, FloatVector.fromArray(S, buf, re)));
            FloatVector ni0 = lr0.fma(hi0, li0.fma(hr0, FloatVector.fromArray(S, buf, im)));
            FloatVector nr1 = lr1.fma(hr1, nli1.fma(hi1, FloatVector.fromArray(S, buf, re + L)));
            FloatVector ni1 = lr1.fma(hi1, li1.fma(hr1, FloatVector.fromArray(S, buf, im + L)));
            FloatVector nr2 =
                    lr2.fma(hr2, nli2.fma(hi2, FloatVector.fromArray(S, buf, re + 2 * L)));
            FloatVector ni2 = lr2.fma(hi2, li2.fma(hr2, FloatVector.fromArray(S, buf, im + 2 * L)));
            FloatVector nr3 =
                    lr3.fma(hr3, nli3.fma(hi3, FloatVector.fromArray(S, buf, re + 3 * L)));
            FloatVector ni3 = lr3.fma(hi3, li3.fma(hr3, FloatVector.fromArray(S, buf, im + 3 * L)));
            // flush on the bits: FLUSHED_UP_TO - |x|'s bits is negative exactly when |x| is kept,
            // and shifted right arithmetically it becomes the all-ones mask that keeps it. Integer
            // lanes and no VectorMask: in some JVMs C2 compiled the compare-and-blend of masks in
            // this loop into boxing calls (11 MB allocated per W = 4096 window). The lanes change
            // type through the constant species (see BITS).
            IntVector br0 = (IntVector) nr0.reinterpretShape(BITS, 0);
            hr0 =
                    (FloatVector)
                            br0.and(flushedUpTo.sub(br0.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector bi0 = (IntVector) ni0.reinterpretShape(BITS, 0);
            hi0 =
                    (FloatVector)
                            bi0.and(flushedUpTo.sub(bi0.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector br1 = (IntVector) nr1.reinterpretShape(BITS, 0);
            hr1 =
                    (FloatVector)
                            br1.and(flushedUpTo.sub(br1.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector bi1 = (IntVector) ni1.reinterpretShape(BITS, 0);
            hi1 =
                    (FloatVector)
                            bi1.and(flushedUpTo.sub(bi1.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector br2 = (IntVector) nr2.reinterpretShape(BITS, 0);
            hr2 =
                    (FloatVector)
                            br2.and(flushedUpTo.sub(br2.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector bi2 = (IntVector) ni2.reinterpretShape(BITS, 0);
            hi2 =
                    (FloatVector)
                            bi2.and(flushedUpTo.sub(bi2.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector br3 = (IntVector) nr3.reinterpretShape(BITS, 0);
            hr3 =
                    (FloatVector)
                            br3.and(flushedUpTo.sub(br3.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector bi3 = (IntVector) ni3.reinterpretShape(BITS, 0);
            hi3 =
                    (FloatVector)
                            bi3.and(flushedUpTo.sub(bi3.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            hr0.intoArray(buf, re);
            hi0.intoArray(buf, im);
            hr1.intoArray(buf, re + L);
            hi1.intoArray(buf, im + L);
            hr2.intoArray(buf, re + 2 * L);
            hi2.intoArray(buf, im + 2 * L);
            hr3.intoArray(buf, re + 3 * L);
            hi3.intoArray(buf, im + 3 * L);
        }
        hr0.intoArray(carry, cr);
        hr1.intoArray(carry, cr + L);
        hr2.intoArray(carry, cr + 2 * L);
        hr3.intoArray(carry, cr + 3 * L);
        hi0.intoArray(carry, ci);
        hi1.intoArray(carry, ci + L);
        hi2.intoArray(carry, ci + 2 * L);
        hi3.intoArray(carry, ci + 3 * L);
    }

    /** States {@code [s, s + L)} over all rows, their state in registers. */
    private static void scanOneVector(
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
        IntVector magnitude = IntVector.broadcast(BITS, MAGNITUDE);
        IntVector flushedUpTo = IntVector.broadcast(BITS, FLUSHED_UP_TO);
        FloatVector lr = FloatVector.fromArray(S, lambdaRe, s);
        FloatVector li = FloatVector.fromArray(S, lambdaIm, s);
        FloatVector nli = li.neg();
        FloatVector hr = FloatVector.fromArray(S, carry, carryOff + s);
        FloatVector hi = FloatVector.fromArray(S, carry, carryOff + n + s);
        for (int t = 0, re = first + s; t < rows; t++, re += stride) {
            int im = re + n;
            FloatVector nr = lr.fma(hr, nli.fma(hi, FloatVector.fromArray(S, buf, re)));
            FloatVector ni = lr.fma(hi, li.fma(hr, FloatVector.fromArray(S, buf, im)));
            IntVector br = (IntVector) nr.reinterpretShape(BITS, 0);
            hr =
                    (FloatVector)
                            br.and(flushedUpTo.sub(br.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            IntVector bi = (IntVector) ni.reinterpretShape(BITS, 0);
            hi =
                    (FloatVector)
                            bi.and(flushedUpTo.sub(bi.and(magnitude)).lanewise(ASHR, 31))
                                    .reinterpretShape(S, 0);
            hr.intoArray(buf, re);
            hi.intoArray(buf, im);
        }
        hr.intoArray(carry, carryOff + s);
        hi.intoArray(carry, carryOff + n + s);
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
