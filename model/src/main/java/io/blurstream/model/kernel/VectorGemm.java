package io.blurstream.model.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the Vector API with a register-blocked micro-kernel: 4 rows of {@code C} by 4 vectors of
 * columns (64 columns with AVX-512) are held in 16 accumulators while the {@code k} loop streams
 * one row of {@code B} and broadcasts one element of each row of {@code A}. Rows are processed in
 * panels of {@link #ROW_PANEL} so the panel of {@code A} stays in L1 while every column block of
 * {@code B} (the weights, usually L2-resident) passes over it.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int ROW_PANEL = 48;

    private VectorGemm() {}

    static void multiply(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            float[] bias,
            boolean accumulate) {
        prepareOutput(m, n, c, cOff, ldc, bias, accumulate);
        int wideEnd = n - n % (4 * L);
        int vectorEnd = n - n % L;
        for (int i0 = 0; i0 < m; i0 += ROW_PANEL) {
            int i1 = Math.min(m, i0 + ROW_PANEL);
            int sixEnd = i0 + (i1 - i0) / 6 * 6;
            int quadEnd = i0 + (i1 - i0) / 4 * 4;
            for (int j = 0; j < wideEnd; j += 4 * L) {
                int i = i0;
                for (; i < sixEnd; i += 6) {
                    block6x4(
                            k,
                            a,
                            aOff + i * lda,
                            lda,
                            b,
                            bOff + j,
                            ldb,
                            c,
                            cOff + i * ldc + j,
                            ldc);
                }
                for (; i + 4 <= i1; i += 4) {
                    block4x4(
                            k,
                            a,
                            aOff + i * lda,
                            lda,
                            b,
                            bOff + j,
                            ldb,
                            c,
                            cOff + i * ldc + j,
                            ldc);
                }
                for (; i < i1; i++) {
                    block1x4(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j);
                }
            }
            for (int j = wideEnd; j < vectorEnd; j += L) {
                for (int i = i0; i < quadEnd; i += 4) {
                    block4x1(
                            k,
                            a,
                            aOff + i * lda,
                            lda,
                            b,
                            bOff + j,
                            ldb,
                            c,
                            cOff + i * ldc + j,
                            ldc);
                }
                for (int i = quadEnd; i < i1; i++) {
                    block1x1(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j);
                }
            }
            if (vectorEnd < n) {
                scalarColumns(i0, i1, vectorEnd, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            }
        }
    }

    private static void block6x4(
            int k,
            float[] a,
            int a0,
            int lda,
            float[] b,
            int b0,
            int ldb,
            float[] c,
            int c0,
            int ldc) {
        int c0i = c0 + 0 * ldc;
        int a0i = a0 + 0 * lda;
        int c1i = c0 + 1 * ldc;
        int a1i = a0 + 1 * lda;
        int c2i = c0 + 2 * ldc;
        int a2i = a0 + 2 * lda;
        int c3i = c0 + 3 * ldc;
        int a3i = a0 + 3 * lda;
        int c4i = c0 + 4 * ldc;
        int a4i = a0 + 4 * lda;
        int c5i = c0 + 5 * ldc;
        int a5i = a0 + 5 * lda;
        FloatVector r00 = FloatVector.fromArray(S, c, c0i);
        FloatVector r01 = FloatVector.fromArray(S, c, c0i + L);
        FloatVector r02 = FloatVector.fromArray(S, c, c0i + 2 * L);
        FloatVector r03 = FloatVector.fromArray(S, c, c0i + 3 * L);
        FloatVector r10 = FloatVector.fromArray(S, c, c1i);
        FloatVector r11 = FloatVector.fromArray(S, c, c1i + L);
        FloatVector r12 = FloatVector.fromArray(S, c, c1i + 2 * L);
        FloatVector r13 = FloatVector.fromArray(S, c, c1i + 3 * L);
        FloatVector r20 = FloatVector.fromArray(S, c, c2i);
        FloatVector r21 = FloatVector.fromArray(S, c, c2i + L);
        FloatVector r22 = FloatVector.fromArray(S, c, c2i + 2 * L);
        FloatVector r23 = FloatVector.fromArray(S, c, c2i + 3 * L);
        FloatVector r30 = FloatVector.fromArray(S, c, c3i);
        FloatVector r31 = FloatVector.fromArray(S, c, c3i + L);
        FloatVector r32 = FloatVector.fromArray(S, c, c3i + 2 * L);
        FloatVector r33 = FloatVector.fromArray(S, c, c3i + 3 * L);
        FloatVector r40 = FloatVector.fromArray(S, c, c4i);
        FloatVector r41 = FloatVector.fromArray(S, c, c4i + L);
        FloatVector r42 = FloatVector.fromArray(S, c, c4i + 2 * L);
        FloatVector r43 = FloatVector.fromArray(S, c, c4i + 3 * L);
        FloatVector r50 = FloatVector.fromArray(S, c, c5i);
        FloatVector r51 = FloatVector.fromArray(S, c, c5i + L);
        FloatVector r52 = FloatVector.fromArray(S, c, c5i + 2 * L);
        FloatVector r53 = FloatVector.fromArray(S, c, c5i + 3 * L);
        for (int p = 0, bRow = b0; p < k; p++, bRow += ldb) {
            FloatVector bv0 = FloatVector.fromArray(S, b, bRow);
            FloatVector bv1 = FloatVector.fromArray(S, b, bRow + L);
            FloatVector bv2 = FloatVector.fromArray(S, b, bRow + 2 * L);
            FloatVector bv3 = FloatVector.fromArray(S, b, bRow + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0i + p]);
            r00 = bv0.fma(x0, r00);
            r01 = bv1.fma(x0, r01);
            r02 = bv2.fma(x0, r02);
            r03 = bv3.fma(x0, r03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1i + p]);
            r10 = bv0.fma(x1, r10);
            r11 = bv1.fma(x1, r11);
            r12 = bv2.fma(x1, r12);
            r13 = bv3.fma(x1, r13);
            FloatVector x2 = FloatVector.broadcast(S, a[a2i + p]);
            r20 = bv0.fma(x2, r20);
            r21 = bv1.fma(x2, r21);
            r22 = bv2.fma(x2, r22);
            r23 = bv3.fma(x2, r23);
            FloatVector x3 = FloatVector.broadcast(S, a[a3i + p]);
            r30 = bv0.fma(x3, r30);
            r31 = bv1.fma(x3, r31);
            r32 = bv2.fma(x3, r32);
            r33 = bv3.fma(x3, r33);
            FloatVector x4 = FloatVector.broadcast(S, a[a4i + p]);
            r40 = bv0.fma(x4, r40);
            r41 = bv1.fma(x4, r41);
            r42 = bv2.fma(x4, r42);
            r43 = bv3.fma(x4, r43);
            FloatVector x5 = FloatVector.broadcast(S, a[a5i + p]);
            r50 = bv0.fma(x5, r50);
            r51 = bv1.fma(x5, r51);
            r52 = bv2.fma(x5, r52);
            r53 = bv3.fma(x5, r53);
        }
        r00.intoArray(c, c0i);
        r01.intoArray(c, c0i + L);
        r02.intoArray(c, c0i + 2 * L);
        r03.intoArray(c, c0i + 3 * L);
        r10.intoArray(c, c1i);
        r11.intoArray(c, c1i + L);
        r12.intoArray(c, c1i + 2 * L);
        r13.intoArray(c, c1i + 3 * L);
        r20.intoArray(c, c2i);
        r21.intoArray(c, c2i + L);
        r22.intoArray(c, c2i + 2 * L);
        r23.intoArray(c, c2i + 3 * L);
        r30.intoArray(c, c3i);
        r31.intoArray(c, c3i + L);
        r32.intoArray(c, c3i + 2 * L);
        r33.intoArray(c, c3i + 3 * L);
        r40.intoArray(c, c4i);
        r41.intoArray(c, c4i + L);
        r42.intoArray(c, c4i + 2 * L);
        r43.intoArray(c, c4i + 3 * L);
        r50.intoArray(c, c5i);
        r51.intoArray(c, c5i + L);
        r52.intoArray(c, c5i + 2 * L);
        r53.intoArray(c, c5i + 3 * L);
    }

    private static void block4x4(
            int k,
            float[] a,
            int a0,
            int lda,
            float[] b,
            int b0,
            int ldb,
            float[] c,
            int c0,
            int ldc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector r02 = FloatVector.fromArray(S, c, c0 + 2 * L);
        FloatVector r03 = FloatVector.fromArray(S, c, c0 + 3 * L);
        FloatVector r10 = FloatVector.fromArray(S, c, c1);
        FloatVector r11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector r12 = FloatVector.fromArray(S, c, c1 + 2 * L);
        FloatVector r13 = FloatVector.fromArray(S, c, c1 + 3 * L);
        FloatVector r20 = FloatVector.fromArray(S, c, c2);
        FloatVector r21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector r22 = FloatVector.fromArray(S, c, c2 + 2 * L);
        FloatVector r23 = FloatVector.fromArray(S, c, c2 + 3 * L);
        FloatVector r30 = FloatVector.fromArray(S, c, c3);
        FloatVector r31 = FloatVector.fromArray(S, c, c3 + L);
        FloatVector r32 = FloatVector.fromArray(S, c, c3 + 2 * L);
        FloatVector r33 = FloatVector.fromArray(S, c, c3 + 3 * L);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0, bRow = b0; p < k; p++, bRow += ldb) {
            FloatVector b00 = FloatVector.fromArray(S, b, bRow);
            FloatVector b01 = FloatVector.fromArray(S, b, bRow + L);
            FloatVector b02 = FloatVector.fromArray(S, b, bRow + 2 * L);
            FloatVector b03 = FloatVector.fromArray(S, b, bRow + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            r00 = b00.fma(x, r00);
            r01 = b01.fma(x, r01);
            r02 = b02.fma(x, r02);
            r03 = b03.fma(x, r03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            r10 = b00.fma(x, r10);
            r11 = b01.fma(x, r11);
            r12 = b02.fma(x, r12);
            r13 = b03.fma(x, r13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            r20 = b00.fma(x, r20);
            r21 = b01.fma(x, r21);
            r22 = b02.fma(x, r22);
            r23 = b03.fma(x, r23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            r30 = b00.fma(x, r30);
            r31 = b01.fma(x, r31);
            r32 = b02.fma(x, r32);
            r33 = b03.fma(x, r33);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r12.intoArray(c, c1 + 2 * L);
        r13.intoArray(c, c1 + 3 * L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r22.intoArray(c, c2 + 2 * L);
        r23.intoArray(c, c2 + 3 * L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
        r32.intoArray(c, c3 + 2 * L);
        r33.intoArray(c, c3 + 3 * L);
    }

    private static void block1x4(
            int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector r0 = FloatVector.fromArray(S, c, c0);
        FloatVector r1 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector r2 = FloatVector.fromArray(S, c, c0 + 2 * L);
        FloatVector r3 = FloatVector.fromArray(S, c, c0 + 3 * L);
        for (int p = 0, bRow = b0; p < k; p++, bRow += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            r0 = FloatVector.fromArray(S, b, bRow).fma(x, r0);
            r1 = FloatVector.fromArray(S, b, bRow + L).fma(x, r1);
            r2 = FloatVector.fromArray(S, b, bRow + 2 * L).fma(x, r2);
            r3 = FloatVector.fromArray(S, b, bRow + 3 * L).fma(x, r3);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + L);
        r2.intoArray(c, c0 + 2 * L);
        r3.intoArray(c, c0 + 3 * L);
    }

    private static void block4x1(
            int k,
            float[] a,
            int a0,
            int lda,
            float[] b,
            int b0,
            int ldb,
            float[] c,
            int c0,
            int ldc) {
        FloatVector r0 = FloatVector.fromArray(S, c, c0);
        FloatVector r1 = FloatVector.fromArray(S, c, c0 + ldc);
        FloatVector r2 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector r3 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0, bRow = b0; p < k; p++, bRow += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bRow);
            r0 = bv.fma(FloatVector.broadcast(S, a[a0 + p]), r0);
            r1 = bv.fma(FloatVector.broadcast(S, a[a1 + p]), r1);
            r2 = bv.fma(FloatVector.broadcast(S, a[a2 + p]), r2);
            r3 = bv.fma(FloatVector.broadcast(S, a[a3 + p]), r3);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + ldc);
        r2.intoArray(c, c0 + 2 * ldc);
        r3.intoArray(c, c0 + 3 * ldc);
    }

    private static void block1x1(
            int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector r = FloatVector.fromArray(S, c, c0);
        for (int p = 0, bRow = b0; p < k; p++, bRow += ldb) {
            r = FloatVector.fromArray(S, b, bRow).fma(FloatVector.broadcast(S, a[a0 + p]), r);
        }
        r.intoArray(c, c0);
    }

    /** Floats of {@code Bᵀ} that {@link #multiplyTransposed} keeps in cache at a time (256 KB). */
    private static final int TRANSPOSED_BLOCK_FLOATS = 64 * 1024;

    /**
     * {@code C = A·Bᵀ}: one vector dot product per output, lanes reduced at the end, four outputs
     * of a row at a time so their independent chains overlap and share each load of {@code A}.
     * Columns go in blocks whose rows of {@code Bᵀ} stay in cache while every row of {@code A}
     * passes over them: unblocked, the time map of a batch of long windows (W = 4096, 64 windows:
     * 448 rows of 4096) streamed all of {@code Bᵀ} from memory once per row of {@code A}. Each
     * output is computed in the same order whichever group or block it falls in, so a window
     * forecast alone or in a batch gets identical bits.
     */
    static void multiplyTransposed(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] bt,
            int btOff,
            int ldbt,
            float[] c,
            int cOff,
            int ldc) {
        int block = Math.max(4, TRANSPOSED_BLOCK_FLOATS / Math.max(1, k) / 4 * 4);
        for (int j0 = 0; j0 < n; j0 += block) {
            int j1 = Math.min(n, j0 + block);
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * lda;
                int cRow = cOff + i * ldc;
                int j = j0;
                for (; j + 4 <= j1; j += 4) {
                    dot4(k, a, aRow, bt, btOff + j * ldbt, ldbt, c, cRow + j);
                }
                for (; j < j1; j++) {
                    c[cRow + j] = dot(k, a, aRow, bt, btOff + j * ldbt);
                }
            }
        }
    }

    /** Four dot products of one row of {@code A} with four rows of {@code Bᵀ}, into {@code c}. */
    private static void dot4(
            int k, float[] a, int aRow, float[] bt, int b0, int ldbt, float[] c, int c0) {
        int vectorEnd = k - k % L;
        int b1 = b0 + ldbt;
        int b2 = b1 + ldbt;
        int b3 = b2 + ldbt;
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        for (int p = 0; p < vectorEnd; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, aRow + p);
            acc0 = x.fma(FloatVector.fromArray(S, bt, b0 + p), acc0);
            acc1 = x.fma(FloatVector.fromArray(S, bt, b1 + p), acc1);
            acc2 = x.fma(FloatVector.fromArray(S, bt, b2 + p), acc2);
            acc3 = x.fma(FloatVector.fromArray(S, bt, b3 + p), acc3);
        }
        float sum0 = acc0.reduceLanes(VectorOperators.ADD);
        float sum1 = acc1.reduceLanes(VectorOperators.ADD);
        float sum2 = acc2.reduceLanes(VectorOperators.ADD);
        float sum3 = acc3.reduceLanes(VectorOperators.ADD);
        for (int p = vectorEnd; p < k; p++) {
            float x = a[aRow + p];
            sum0 = Math.fma(x, bt[b0 + p], sum0);
            sum1 = Math.fma(x, bt[b1 + p], sum1);
            sum2 = Math.fma(x, bt[b2 + p], sum2);
            sum3 = Math.fma(x, bt[b3 + p], sum3);
        }
        c[c0] = sum0;
        c[c0 + 1] = sum1;
        c[c0 + 2] = sum2;
        c[c0 + 3] = sum3;
    }

    /** One dot product, in the same order as each of {@link #dot4}'s. */
    private static float dot(int k, float[] a, int aRow, float[] bt, int bRow) {
        int vectorEnd = k - k % L;
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < vectorEnd; p += L) {
            acc =
                    FloatVector.fromArray(S, a, aRow + p)
                            .fma(FloatVector.fromArray(S, bt, bRow + p), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int p = vectorEnd; p < k; p++) {
            sum = Math.fma(a[aRow + p], bt[bRow + p], sum);
        }
        return sum;
    }

    /**
     * Puts the starting value of every accumulator into {@code C}: zero or the bias, or the bias
     * added to the existing values. The micro-kernels then always start from {@code C}, which keeps
     * them free of helper calls returning vectors: if C2 declined to inline such a helper, every
     * vector would be boxed on the heap.
     */
    private static void prepareOutput(
            int m, int n, float[] c, int cOff, int ldc, float[] bias, boolean accumulate) {
        if (accumulate && bias == null) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (!accumulate) {
                if (bias == null) {
                    java.util.Arrays.fill(c, row, row + n, 0f);
                } else {
                    System.arraycopy(bias, 0, c, row, n);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] += bias[j];
                }
            }
        }
    }

    /**
     * The last {@code n % L} columns, too narrow for a vector. Uses the same fused multiply-add
     * order as the vector blocks, so a value never depends on which column block it landed in:
     * forecasting a window alone or inside a batch gives identical bits.
     */
    private static void scalarColumns(
            int i0,
            int i1,
            int j0,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        for (int i = i0; i < i1; i++) {
            int aRow = aOff + i * lda;
            int cRow = cOff + i * ldc;
            for (int j = j0; j < n; j++) {
                float sum = c[cRow + j];
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aRow + p], b[bOff + p * ldb + j], sum);
                }
                c[cRow + j] = sum;
            }
        }
    }
}
