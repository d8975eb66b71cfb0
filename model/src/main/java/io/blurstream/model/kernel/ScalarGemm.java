package io.blurstream.model.kernel;

/** Portable GEMM: i-p-j loop order so the innermost loop is a contiguous axpy C2 can vectorise. */
final class ScalarGemm {

    private ScalarGemm() {}

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
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (!accumulate) {
                for (int j = 0; j < n; j++) {
                    c[cRow + j] = 0f;
                }
            }
            if (bias != null) {
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += bias[j];
                }
            }
            int aRow = aOff + i * lda;
            for (int p = 0; p < k; p++) {
                float aip = a[aRow + p];
                int bRow = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }
}
