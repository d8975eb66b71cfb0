package io.blurstream.model.kernel;

import jdk.incubator.vector.FloatVector;
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
                            ldc,
                            bias,
                            j,
                            accumulate);
                }
                for (int i = quadEnd; i < i1; i++) {
                    block1x4(
                            k,
                            a,
                            aOff + i * lda,
                            b,
                            bOff + j,
                            ldb,
                            c,
                            cOff + i * ldc + j,
                            bias,
                            j,
                            accumulate);
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
                            ldc,
                            bias,
                            j,
                            accumulate);
                }
                for (int i = quadEnd; i < i1; i++) {
                    block1x1(
                            k,
                            a,
                            aOff + i * lda,
                            b,
                            bOff + j,
                            ldb,
                            c,
                            cOff + i * ldc + j,
                            bias,
                            j,
                            accumulate);
                }
            }
            if (vectorEnd < n) {
                scalarColumns(
                        i0,
                        i1,
                        vectorEnd,
                        n,
                        k,
                        a,
                        aOff,
                        lda,
                        b,
                        bOff,
                        ldb,
                        c,
                        cOff,
                        ldc,
                        bias,
                        accumulate);
            }
        }
    }

    private static FloatVector initial(
            float[] c, int cIdx, float[] bias, int biasIdx, boolean accumulate) {
        FloatVector v = accumulate ? FloatVector.fromArray(S, c, cIdx) : FloatVector.zero(S);
        return bias == null ? v : v.add(FloatVector.fromArray(S, bias, biasIdx));
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
            int ldc,
            float[] bias,
            int j,
            boolean acc) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector r00 = initial(c, c0, bias, j, acc);
        FloatVector r01 = initial(c, c0 + L, bias, j + L, acc);
        FloatVector r02 = initial(c, c0 + 2 * L, bias, j + 2 * L, acc);
        FloatVector r03 = initial(c, c0 + 3 * L, bias, j + 3 * L, acc);
        FloatVector r10 = initial(c, c1, bias, j, acc);
        FloatVector r11 = initial(c, c1 + L, bias, j + L, acc);
        FloatVector r12 = initial(c, c1 + 2 * L, bias, j + 2 * L, acc);
        FloatVector r13 = initial(c, c1 + 3 * L, bias, j + 3 * L, acc);
        FloatVector r20 = initial(c, c2, bias, j, acc);
        FloatVector r21 = initial(c, c2 + L, bias, j + L, acc);
        FloatVector r22 = initial(c, c2 + 2 * L, bias, j + 2 * L, acc);
        FloatVector r23 = initial(c, c2 + 3 * L, bias, j + 3 * L, acc);
        FloatVector r30 = initial(c, c3, bias, j, acc);
        FloatVector r31 = initial(c, c3 + L, bias, j + L, acc);
        FloatVector r32 = initial(c, c3 + 2 * L, bias, j + 2 * L, acc);
        FloatVector r33 = initial(c, c3 + 3 * L, bias, j + 3 * L, acc);
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
            int k,
            float[] a,
            int a0,
            float[] b,
            int b0,
            int ldb,
            float[] c,
            int c0,
            float[] bias,
            int j,
            boolean acc) {
        FloatVector r0 = initial(c, c0, bias, j, acc);
        FloatVector r1 = initial(c, c0 + L, bias, j + L, acc);
        FloatVector r2 = initial(c, c0 + 2 * L, bias, j + 2 * L, acc);
        FloatVector r3 = initial(c, c0 + 3 * L, bias, j + 3 * L, acc);
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
            int ldc,
            float[] bias,
            int j,
            boolean acc) {
        FloatVector r0 = initial(c, c0, bias, j, acc);
        FloatVector r1 = initial(c, c0 + ldc, bias, j, acc);
        FloatVector r2 = initial(c, c0 + 2 * ldc, bias, j, acc);
        FloatVector r3 = initial(c, c0 + 3 * ldc, bias, j, acc);
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
            int k,
            float[] a,
            int a0,
            float[] b,
            int b0,
            int ldb,
            float[] c,
            int c0,
            float[] bias,
            int j,
            boolean acc) {
        FloatVector r = initial(c, c0, bias, j, acc);
        for (int p = 0, bRow = b0; p < k; p++, bRow += ldb) {
            r = FloatVector.fromArray(S, b, bRow).fma(FloatVector.broadcast(S, a[a0 + p]), r);
        }
        r.intoArray(c, c0);
    }

    /** The last {@code n % L} columns, too narrow for a vector. */
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
            int ldc,
            float[] bias,
            boolean accumulate) {
        for (int i = i0; i < i1; i++) {
            int aRow = aOff + i * lda;
            int cRow = cOff + i * ldc;
            for (int j = j0; j < n; j++) {
                float sum = accumulate ? c[cRow + j] : 0f;
                if (bias != null) {
                    sum += bias[j];
                }
                for (int p = 0; p < k; p++) {
                    sum += a[aRow + p] * b[bOff + p * ldb + j];
                }
                c[cRow + j] = sum;
            }
        }
    }
}
