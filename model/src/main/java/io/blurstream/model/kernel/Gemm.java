package io.blurstream.model.kernel;

/**
 * Single-precision dense matrix product on row-major arrays: {@code C = A·B (+ bias) (+ C)}.
 *
 * <p>{@code A} is {@code m×k} with leading dimension {@code lda} (the distance between two rows),
 * {@code B} is {@code k×n} with {@code ldb}, {@code C} is {@code m×n} with {@code ldc}; the last
 * dimension is contiguous. Dimensions and bounds are checked once per call, never per element; the
 * output must not share an array with an input. Nothing is allocated.
 */
public final class Gemm {

    private static final boolean VECTOR = KernelMode.active() == KernelMode.VECTOR;

    private Gemm() {}

    /**
     * Computes {@code C = A·B + bias}, or {@code C += A·B + bias} when {@code accumulate}.
     *
     * @param bias per-column bias of length {@code n} added to every row, or {@code null}
     */
    public static void multiply(
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
        checkArguments(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, false);
        if (m == 0 || n == 0) {
            return;
        }
        if (VECTOR) {
            VectorGemm.multiply(
                    m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
        } else {
            ScalarGemm.multiply(
                    m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
        }
    }

    /**
     * Computes {@code C = A·Bᵀ} for a {@code B} stored as {@code n×k} rows (leading dimension
     * {@code ldb}): every output is a dot product of two contiguous rows. This is the fast form
     * when {@code n} is too narrow for vectors across columns, e.g. a head mapping {@code H}
     * features to a handful of channels.
     */
    public static void multiplyTransposed(
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
        checkArguments(m, n, k, a, aOff, lda, bt, btOff, ldbt, c, cOff, ldc, null, true);
        if (VECTOR) {
            VectorGemm.multiplyTransposed(m, n, k, a, aOff, lda, bt, btOff, ldbt, c, cOff, ldc);
        } else {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += a[aOff + i * lda + p] * bt[btOff + j * ldbt + p];
                    }
                    c[cOff + i * ldc + j] = sum;
                }
            }
        }
    }

    /**
     * Computes {@code C = Aᵀ·B}, or {@code C += Aᵀ·B} when {@code accumulate}, for an {@code A}
     * stored as {@code k×m} rows (leading dimension {@code lda}): the weight gradient {@code Xᵀ·dY}
     * of a linear layer without transposing the activations.
     */
    public static void multiplyTransposedA(
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
        if (m < 0 || n < 0 || k < 0 || lda < m || ldb < n || ldc < n) {
            throw new IllegalArgumentException(
                    "bad shape for C["
                            + m
                            + "x"
                            + n
                            + "] = A["
                            + k
                            + "x"
                            + m
                            + "]^T B: lda="
                            + lda
                            + ", ldb="
                            + ldb
                            + ", ldc="
                            + ldc);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkMatrix("A", a, aOff, k, m, lda);
        checkMatrix("B", b, bOff, k, n, ldb);
        checkMatrix("C", c, cOff, m, n, ldc);
        if (a == c || b == c) {
            throw new IllegalArgumentException("C must not share an array with A or B");
        }
        if (VECTOR) {
            VectorGemmAt.multiply(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + p * lda + i];
                int bRow = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    /** Dense row-major product of whole matrices: {@code C[m×n] = A[m×k]·B[k×n]}. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        multiply(m, n, k, a, 0, k, b, 0, n, c, 0, n, null, false);
    }

    /** Number of floating-point operations of one product (a fused multiply-add counts two). */
    public static long flops(long m, long n, long k) {
        return 2L * m * n * k;
    }

    private static void checkArguments(
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
            boolean transposedB) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "negative dimension: m=" + m + ", n=" + n + ", k=" + k);
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("C must not share an array with A or B");
        }
        checkMatrix("A", a, aOff, m, k, lda);
        if (transposedB) {
            checkMatrix("Bt", b, bOff, n, k, ldb);
        } else {
            checkMatrix("B", b, bOff, k, n, ldb);
        }
        checkMatrix("C", c, cOff, m, n, ldc);
        if (bias != null && bias.length < n) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, needs n=" + n);
        }
    }

    private static void checkMatrix(
            String name, float[] data, int off, int rows, int cols, int ld) {
        if (ld < cols) {
            throw new IllegalArgumentException(
                    name
                            + ": leading dimension "
                            + ld
                            + " is smaller than its "
                            + cols
                            + " columns");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > data.length) {
            throw new IllegalArgumentException(
                    name
                            + ": "
                            + rows
                            + "x"
                            + cols
                            + " at offset "
                            + off
                            + " with leading dimension "
                            + ld
                            + " needs "
                            + last
                            + " floats, array has "
                            + data.length);
        }
    }
}
