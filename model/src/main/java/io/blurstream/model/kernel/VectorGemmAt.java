package io.blurstream.model.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C (+)= Aᵀ·B} on the Vector API, for weight gradients ({@code dW = Xᵀ·dY}): {@code A} is
 * stored {@code k × m}, so the {@code k} loop walks down its rows and the elements broadcast for
 * one step are contiguous. Training's shapes have a long {@code k} (thousands of rows) and a small
 * {@code C} that a 6 × 4-vector block keeps in registers for the whole loop.
 */
final class VectorGemmAt {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorGemmAt() {}

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
            boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        int wideEnd = n - n % (4 * L);
        int vectorEnd = n - n % L;
        int sixEnd = m - m % 6;
        for (int j = 0; j < wideEnd; j += 4 * L) {
            int i = 0;
            for (; i < sixEnd; i += 6) {
                block6x4(k, a, aOff + i, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            }
            for (; i + 2 <= m; i += 2) {
                block2x4(k, a, aOff + i, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            }
            for (; i < m; i++) {
                for (int jj = j; jj < j + 4 * L; jj += L) {
                    block1x1(k, a, aOff + i, lda, b, bOff + jj, ldb, c, cOff + i * ldc + jj);
                }
            }
        }
        for (int j = wideEnd; j < vectorEnd; j += L) {
            for (int i = 0; i < m; i++) {
                block1x1(k, a, aOff + i, lda, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = vectorEnd; j < n; j++) {
                float sum = c[cOff + i * ldc + j];
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aOff + p * lda + i], b[bOff + p * ldb + j], sum);
                }
                c[cOff + i * ldc + j] = sum;
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
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector r02 = FloatVector.fromArray(S, c, c0 + 2 * L);
        FloatVector r03 = FloatVector.fromArray(S, c, c0 + 3 * L);
        FloatVector r10 = FloatVector.fromArray(S, c, c0 + ldc);
        FloatVector r11 = FloatVector.fromArray(S, c, c0 + ldc + L);
        FloatVector r12 = FloatVector.fromArray(S, c, c0 + ldc + 2 * L);
        FloatVector r13 = FloatVector.fromArray(S, c, c0 + ldc + 3 * L);
        FloatVector r20 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector r21 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
        FloatVector r22 = FloatVector.fromArray(S, c, c0 + 2 * ldc + 2 * L);
        FloatVector r23 = FloatVector.fromArray(S, c, c0 + 2 * ldc + 3 * L);
        FloatVector r30 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        FloatVector r31 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
        FloatVector r32 = FloatVector.fromArray(S, c, c0 + 3 * ldc + 2 * L);
        FloatVector r33 = FloatVector.fromArray(S, c, c0 + 3 * ldc + 3 * L);
        FloatVector r40 = FloatVector.fromArray(S, c, c0 + 4 * ldc);
        FloatVector r41 = FloatVector.fromArray(S, c, c0 + 4 * ldc + L);
        FloatVector r42 = FloatVector.fromArray(S, c, c0 + 4 * ldc + 2 * L);
        FloatVector r43 = FloatVector.fromArray(S, c, c0 + 4 * ldc + 3 * L);
        FloatVector r50 = FloatVector.fromArray(S, c, c0 + 5 * ldc);
        FloatVector r51 = FloatVector.fromArray(S, c, c0 + 5 * ldc + L);
        FloatVector r52 = FloatVector.fromArray(S, c, c0 + 5 * ldc + 2 * L);
        FloatVector r53 = FloatVector.fromArray(S, c, c0 + 5 * ldc + 3 * L);
        for (int p = 0, aRow = a0, bRow = b0; p < k; p++, aRow += lda, bRow += ldb) {
            FloatVector bv0 = FloatVector.fromArray(S, b, bRow);
            FloatVector bv1 = FloatVector.fromArray(S, b, bRow + L);
            FloatVector bv2 = FloatVector.fromArray(S, b, bRow + 2 * L);
            FloatVector bv3 = FloatVector.fromArray(S, b, bRow + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[aRow]);
            r00 = bv0.fma(x, r00);
            r01 = bv1.fma(x, r01);
            r02 = bv2.fma(x, r02);
            r03 = bv3.fma(x, r03);
            x = FloatVector.broadcast(S, a[aRow + 1]);
            r10 = bv0.fma(x, r10);
            r11 = bv1.fma(x, r11);
            r12 = bv2.fma(x, r12);
            r13 = bv3.fma(x, r13);
            x = FloatVector.broadcast(S, a[aRow + 2]);
            r20 = bv0.fma(x, r20);
            r21 = bv1.fma(x, r21);
            r22 = bv2.fma(x, r22);
            r23 = bv3.fma(x, r23);
            x = FloatVector.broadcast(S, a[aRow + 3]);
            r30 = bv0.fma(x, r30);
            r31 = bv1.fma(x, r31);
            r32 = bv2.fma(x, r32);
            r33 = bv3.fma(x, r33);
            x = FloatVector.broadcast(S, a[aRow + 4]);
            r40 = bv0.fma(x, r40);
            r41 = bv1.fma(x, r41);
            r42 = bv2.fma(x, r42);
            r43 = bv3.fma(x, r43);
            x = FloatVector.broadcast(S, a[aRow + 5]);
            r50 = bv0.fma(x, r50);
            r51 = bv1.fma(x, r51);
            r52 = bv2.fma(x, r52);
            r53 = bv3.fma(x, r53);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r10.intoArray(c, c0 + ldc);
        r11.intoArray(c, c0 + ldc + L);
        r12.intoArray(c, c0 + ldc + 2 * L);
        r13.intoArray(c, c0 + ldc + 3 * L);
        r20.intoArray(c, c0 + 2 * ldc);
        r21.intoArray(c, c0 + 2 * ldc + L);
        r22.intoArray(c, c0 + 2 * ldc + 2 * L);
        r23.intoArray(c, c0 + 2 * ldc + 3 * L);
        r30.intoArray(c, c0 + 3 * ldc);
        r31.intoArray(c, c0 + 3 * ldc + L);
        r32.intoArray(c, c0 + 3 * ldc + 2 * L);
        r33.intoArray(c, c0 + 3 * ldc + 3 * L);
        r40.intoArray(c, c0 + 4 * ldc);
        r41.intoArray(c, c0 + 4 * ldc + L);
        r42.intoArray(c, c0 + 4 * ldc + 2 * L);
        r43.intoArray(c, c0 + 4 * ldc + 3 * L);
        r50.intoArray(c, c0 + 5 * ldc);
        r51.intoArray(c, c0 + 5 * ldc + L);
        r52.intoArray(c, c0 + 5 * ldc + 2 * L);
        r53.intoArray(c, c0 + 5 * ldc + 3 * L);
    }

    private static void block2x4(
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
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector r02 = FloatVector.fromArray(S, c, c0 + 2 * L);
        FloatVector r03 = FloatVector.fromArray(S, c, c0 + 3 * L);
        FloatVector r10 = FloatVector.fromArray(S, c, c0 + ldc);
        FloatVector r11 = FloatVector.fromArray(S, c, c0 + ldc + L);
        FloatVector r12 = FloatVector.fromArray(S, c, c0 + ldc + 2 * L);
        FloatVector r13 = FloatVector.fromArray(S, c, c0 + ldc + 3 * L);
        for (int p = 0, aRow = a0, bRow = b0; p < k; p++, aRow += lda, bRow += ldb) {
            FloatVector bv0 = FloatVector.fromArray(S, b, bRow);
            FloatVector bv1 = FloatVector.fromArray(S, b, bRow + L);
            FloatVector bv2 = FloatVector.fromArray(S, b, bRow + 2 * L);
            FloatVector bv3 = FloatVector.fromArray(S, b, bRow + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[aRow]);
            r00 = bv0.fma(x, r00);
            r01 = bv1.fma(x, r01);
            r02 = bv2.fma(x, r02);
            r03 = bv3.fma(x, r03);
            x = FloatVector.broadcast(S, a[aRow + 1]);
            r10 = bv0.fma(x, r10);
            r11 = bv1.fma(x, r11);
            r12 = bv2.fma(x, r12);
            r13 = bv3.fma(x, r13);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r10.intoArray(c, c0 + ldc);
        r11.intoArray(c, c0 + ldc + L);
        r12.intoArray(c, c0 + ldc + 2 * L);
        r13.intoArray(c, c0 + ldc + 3 * L);
    }

    private static void block1x1(
            int k, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector r = FloatVector.fromArray(S, c, c0);
        for (int p = 0, aRow = a0, bRow = b0; p < k; p++, aRow += lda, bRow += ldb) {
            r = FloatVector.fromArray(S, b, bRow).fma(FloatVector.broadcast(S, a[aRow]), r);
        }
        r.intoArray(c, c0);
    }
}
