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
            int quadEnd = i0 + (i1 - i0) / 4 * 4;
            for (int j = 0; j < wideEnd; j += 4 * L) {
                for (int i = i0; i < quadEnd; i += 4) {
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
                for (int i = quadEnd; i < i1; i++) {
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

    /** {@code C = A·Bᵀ}: one vector dot product per output, lanes reduced at the end. */
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
        int vectorEnd = k - k % L;
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bRow = btOff + j * ldbt;
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
                c[cOff + i * ldc + j] = sum;
            }
        }
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
