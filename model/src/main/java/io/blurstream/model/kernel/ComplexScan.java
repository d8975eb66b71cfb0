package io.blurstream.model.kernel;

/**
 * The diagonal complex linear recurrence of an LRU, {@code h[t] = λ ⊙ h[t∓1] + u[t]}, computed in
 * place over rows of a row-major buffer.
 *
 * <p>Layout: row {@code t} starts at {@code off + t·ld}; its {@code n} real parts are contiguous at
 * the start of the row and its {@code n} imaginary parts follow immediately ({@code re[0..n),
 * im[0..n)}). On entry a row holds the input {@code u[t]}, on return the state {@code h[t]}. The
 * carry ({@code re[0..n), im[0..n)} at {@code carryOff}) holds the state just outside the scanned
 * rows (the row before the first for a forward scan, the row after the last for a backward one) and
 * receive the state at the other end, so a long sequence can be scanned chunk by chunk.
 *
 * <p>Subnormal floats make this recurrence about 100 times slower on the JVM, which cannot set
 * flush-to-zero, and a decaying state with near-zero input walks straight into them. Every state
 * with magnitude below {@link #FLUSH_BELOW} is therefore set to zero, and {@link #flushTiny(float)}
 * is applied to λ when a model is compiled; both change results far below float precision.
 */
public final class ComplexScan {

    /** States smaller than this are flushed to zero (2^-80 ≈ 8.3e-25). */
    public static final float FLUSH_BELOW = 0x1p-80f;

    /**
     * λ components below this are flushed to zero; with {@link #FLUSH_BELOW} this keeps every
     * product λ·h in the normal range (≥ 2^-104 &gt; 2^-126).
     */
    public static final float LAMBDA_FLUSH_BELOW = 0x1p-24f;

    private static final boolean VECTOR = KernelMode.active() == KernelMode.VECTOR;

    private ComplexScan() {}

    /** Forward scan of {@code rows} rows, from row 0 up, starting from the carry state. */
    public static void forward(
            float[] buf,
            int off,
            int rows,
            int ld,
            int n,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] carry,
            int carryOff) {
        check(buf, off, rows, ld, n, lambdaRe, lambdaIm, carry, carryOff);
        if (VECTOR) {
            VectorScan.scan(buf, off, rows, ld, n, lambdaRe, lambdaIm, carry, carryOff);
        } else {
            scalarScan(buf, off, rows, ld, n, lambdaRe, lambdaIm, carry, carryOff);
        }
    }

    /** Backward scan of {@code rows} rows, from the last row down, starting from the carry. */
    public static void backward(
            float[] buf,
            int off,
            int rows,
            int ld,
            int n,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] carry,
            int carryOff) {
        check(buf, off, rows, ld, n, lambdaRe, lambdaIm, carry, carryOff);
        if (rows == 0) {
            return;
        }
        // A backward scan is a forward scan over the rows read in reverse: negative stride.
        int last = off + (rows - 1) * ld;
        if (VECTOR) {
            VectorScan.scan(buf, last, rows, -ld, n, lambdaRe, lambdaIm, carry, carryOff);
        } else {
            scalarScan(buf, last, rows, -ld, n, lambdaRe, lambdaIm, carry, carryOff);
        }
    }

    /**
     * Adds the contribution of an incoming state to rows already scanned from a zero state: {@code
     * h[t] += λ^(j+1) ⊙ carry} for the {@code j}-th row in scan direction. This is the fix-up step
     * of the parallel chunked scan.
     *
     * @param stride {@code ld} for forward order from {@code first}, {@code -ld} for backward
     * @param powersRe row {@code j} (stride {@code n}) holds the real parts of {@code λ^(j+1)}
     */
    public static void addCarry(
            float[] buf,
            int first,
            int rows,
            int stride,
            int n,
            float[] powersRe,
            float[] powersIm,
            float[] carry,
            int carryOff) {
        for (int j = 0; j < rows; j++) {
            int row = first + j * stride;
            int p = j * n;
            for (int s = 0; s < n; s++) {
                float pr = powersRe[p + s];
                float pi = powersIm[p + s];
                float cr = carry[carryOff + s];
                float ci = carry[carryOff + n + s];
                buf[row + s] += pr * cr - pi * ci;
                buf[row + n + s] += pr * ci + pi * cr;
            }
        }
    }

    /**
     * Fills {@code powers[j·n + s] = λ_s^(j+1)} for {@code j < count}, computed in double and
     * flushed like λ itself.
     */
    public static void powers(
            float[] lambdaRe,
            float[] lambdaIm,
            int n,
            int count,
            float[] powersRe,
            float[] powersIm) {
        for (int s = 0; s < n; s++) {
            double lr = lambdaRe[s];
            double li = lambdaIm[s];
            double re = lr;
            double im = li;
            for (int j = 0; j < count; j++) {
                powersRe[j * n + s] = flushTiny((float) re);
                powersIm[j * n + s] = flushTiny((float) im);
                double nr = re * lr - im * li;
                im = re * li + im * lr;
                re = nr;
            }
        }
    }

    /** λ component with magnitude below {@link #LAMBDA_FLUSH_BELOW} → 0. */
    public static float flushTiny(float lambdaComponent) {
        return Math.abs(lambdaComponent) < LAMBDA_FLUSH_BELOW ? 0f : lambdaComponent;
    }

    /** Real floating-point operations of one scan over {@code rows × n} complex states. */
    public static long flops(long rows, long n) {
        // complex multiply-add: 4 multiplies + 4 adds per state and step
        return 8L * rows * n;
    }

    static void scalarScan(
            float[] buf,
            int first,
            int rows,
            int stride,
            int n,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] carry,
            int carryOff) {
        for (int s = 0; s < n; s++) {
            float lr = lambdaRe[s];
            float li = lambdaIm[s];
            float hr = carry[carryOff + s];
            float hi = carry[carryOff + n + s];
            for (int t = 0, row = first; t < rows; t++, row += stride) {
                float nr = lr * hr - li * hi + buf[row + s];
                float ni = lr * hi + li * hr + buf[row + n + s];
                hr = Math.abs(nr) < FLUSH_BELOW ? 0f : nr;
                hi = Math.abs(ni) < FLUSH_BELOW ? 0f : ni;
                buf[row + s] = hr;
                buf[row + n + s] = hi;
            }
            carry[carryOff + s] = hr;
            carry[carryOff + n + s] = hi;
        }
    }

    private static void check(
            float[] buf,
            int off,
            int rows,
            int ld,
            int n,
            float[] lambdaRe,
            float[] lambdaIm,
            float[] carry,
            int carryOff) {
        if (rows < 0 || n < 0 || ld < 2 * n) {
            throw new IllegalArgumentException(
                    "bad scan shape: rows="
                            + rows
                            + ", n="
                            + n
                            + ", ld="
                            + ld
                            + " (needs ld >= 2n)");
        }
        if (lambdaRe.length < n || lambdaIm.length < n) {
            throw new IllegalArgumentException("λ arrays need at least n=" + n + " values");
        }
        if (carryOff < 0 || (long) carryOff + 2L * n > carry.length) {
            throw new IllegalArgumentException(
                    "carry needs 2n=" + 2 * n + " floats at offset " + carryOff);
        }
        if (rows > 0 && (off < 0 || (long) off + (long) (rows - 1) * ld + 2L * n > buf.length)) {
            throw new IllegalArgumentException(
                    "scan of "
                            + rows
                            + " rows at offset "
                            + off
                            + " overruns buffer of "
                            + buf.length);
        }
    }
}
