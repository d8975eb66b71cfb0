package io.blurstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both GEMM implementations against a float64 twin, over awkward shapes and layouts. */
class GemmTest {

    interface Impl {
        void multiply(
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
                boolean accumulate);
    }

    private static final Impl VECTOR = VectorGemm::multiply;
    private static final Impl SCALAR = ScalarGemm::multiply;

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({
        "1, 1, 1",
        "1, 16, 1",
        "4, 64, 8",
        "5, 65, 7",
        "3, 17, 33",
        "96, 512, 128",
        "49, 130, 3",
        "7, 1, 100",
        "200, 47, 64",
        "1, 300, 1"
    })
    void matchesReferenceWithOffsetsBiasAndAccumulation(int m, int n, int k) {
        Random random = new Random(m * 1_000_003L + n * 1009L + k);
        for (Impl impl : new Impl[] {VECTOR, SCALAR}) {
            for (boolean accumulate : new boolean[] {false, true}) {
                for (boolean withBias : new boolean[] {false, true}) {
                    check(impl, random, m, n, k, accumulate, withBias);
                }
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({
        "1, 1, 1",
        "6, 64, 1",
        "64, 256, 1536",
        "256, 64, 333",
        "7, 129, 50",
        "1, 64, 1000",
        "13, 17, 5",
        "0, 5, 5",
        "4, 4, 0"
    })
    void transposedAMatchesReference(int m, int n, int k) {
        Random random = new Random(m * 31L + n * 7L + k);
        int lda = m + 3;
        int ldb = n + 1;
        int ldc = n + 2;
        float[] a = randomArray(random, 5 + Math.max(k, 1) * lda);
        float[] b = randomArray(random, 9 + Math.max(k, 1) * ldb);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] c = randomArray(random, 3 + Math.max(m, 1) * ldc);
            float[] original = c.clone();
            Gemm.multiplyTransposedA(m, n, k, a, 5, lda, b, 9, ldb, c, 3, ldc, accumulate);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = accumulate ? original[3 + i * ldc + j] : 0;
                    double magnitude = Math.abs(expected);
                    for (int p = 0; p < k; p++) {
                        double term = (double) a[5 + p * lda + i] * b[9 + p * ldb + j];
                        expected += term;
                        magnitude += Math.abs(term);
                    }
                    assertThat((double) c[3 + i * ldc + j])
                            .as("C[%d][%d]", i, j)
                            .isCloseTo(expected, within(1e-6 * (magnitude + 1)));
                }
            }
            // nothing outside C is touched
            assertThat(c[0]).isEqualTo(original[0]);
        }
    }

    private static void check(
            Impl impl, Random random, int m, int n, int k, boolean accumulate, boolean withBias) {
        int lda = k + 3;
        int ldb = n + 5;
        int ldc = n + 2;
        int aOff = 7;
        int bOff = 11;
        int cOff = 13;
        float[] a = randomArray(random, aOff + m * lda);
        float[] b = randomArray(random, bOff + k * ldb);
        float[] c = randomArray(random, cOff + m * ldc + 3);
        float[] bias = withBias ? randomArray(random, n) : null;
        float[] original = c.clone();
        impl.multiply(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = accumulate ? original[cOff + i * ldc + j] : 0;
                double magnitude = Math.abs(expected);
                if (bias != null) {
                    expected += bias[j];
                    magnitude += Math.abs(bias[j]);
                }
                for (int p = 0; p < k; p++) {
                    double term = (double) a[aOff + i * lda + p] * b[bOff + p * ldb + j];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                // float32 summation of k+2 terms: error ≤ (k+2)·ε·Σ|terms|
                double tolerance = (k + 2) * 0x1p-24 * magnitude + 1e-30;
                assertThat((double) c[cOff + i * ldc + j])
                        .as("C[%d][%d]", i, j)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
            }
        }
        // padding between rows and around the matrix is untouched
        for (int i = 0; i < c.length; i++) {
            int row = (i - cOff) / ldc;
            int col = (i - cOff) % ldc;
            boolean inside = i >= cOff && row < m && col < n;
            if (!inside) {
                assertThat(c[i]).as("padding C at %d", i).isEqualTo(original[i]);
            }
        }
    }

    @Test
    void aTransposedProductsOutputHasTheSameBitsWhicheverColumnsAreComputedWithIt() {
        // a window forecast alone or in a batch must get identical bits: column j of a wide
        // product (computed four at a time, in blocks) equals the same column computed alone
        Random random = new Random(11);
        int m = 3;
        int n = 23;
        int k = 5003;
        float[] a = randomArray(random, m * k);
        float[] bt = randomArray(random, n * k);
        float[] wide = new float[m * n];
        Gemm.multiplyTransposed(m, n, k, a, 0, k, bt, 0, k, wide, 0, n);
        for (int j = 0; j < n; j++) {
            float[] alone = new float[m];
            Gemm.multiplyTransposed(m, 1, k, a, 0, k, bt, j * k, k, alone, 0, 1);
            for (int i = 0; i < m; i++) {
                assertThat(Float.floatToRawIntBits(wide[i * n + j]))
                        .as("C[%d][%d]", i, j)
                        .isEqualTo(Float.floatToRawIntBits(alone[i]));
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({
        "1, 1, 1",
        "5, 7, 128",
        "3, 2, 17",
        "192, 7, 64",
        "4, 15, 33",
        "2, 9, 4096",
        "3, 10, 8193"
    })
    void transposedProductMatchesReference(int m, int n, int k) {
        Random random = new Random(m * 7919L + n * 31L + k);
        int lda = k + 2;
        int ldbt = k + 1;
        int ldc = n + 3;
        float[] a = randomArray(random, 3 + m * lda);
        float[] bt = randomArray(random, 5 + n * ldbt);
        float[] c = randomArray(random, 2 + m * ldc);
        float[] original = c.clone();
        Gemm.multiplyTransposed(m, n, k, a, 3, lda, bt, 5, ldbt, c, 2, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double term = (double) a[3 + i * lda + p] * bt[5 + j * ldbt + p];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                assertThat((double) c[2 + i * ldc + j])
                        .as("C[%d][%d]", i, j)
                        .isCloseTo(
                                expected,
                                org.assertj.core.data.Offset.offset(
                                        (k + 2) * 0x1p-24 * magnitude + 1e-30));
            }
            for (int j = n; j < ldc && 2 + i * ldc + j < c.length; j++) {
                assertThat(c[2 + i * ldc + j]).isEqualTo(original[2 + i * ldc + j]);
            }
        }
    }

    @Test
    void vectorAndScalarAgree() {
        Random random = new Random(5);
        float[] a = randomArray(random, 33 * 70);
        float[] b = randomArray(random, 70 * 90);
        float[] vector = new float[33 * 90];
        float[] scalar = new float[33 * 90];
        VectorGemm.multiply(33, 90, 70, a, 0, 70, b, 0, 90, vector, 0, 90, null, false);
        ScalarGemm.multiply(33, 90, 70, a, 0, 70, b, 0, 90, scalar, 0, 90, null, false);
        for (int i = 0; i < vector.length; i++) {
            assertThat(vector[i]).isCloseTo(scalar[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        assertThatThrownBy(() -> Gemm.multiply(2, 2, 3, a, 0, 3, b, 0, 2, a, 0, 2, null, false))
                .hasMessageContaining("must not share");
        assertThatThrownBy(() -> Gemm.multiply(2, 2, 3, a, 1, 3, b, 0, 2, c, 0, 2, null, false))
                .hasMessageContaining("A: 2x3 at offset 1");
        assertThatThrownBy(() -> Gemm.multiply(2, 2, 3, a, 0, 2, b, 0, 2, c, 0, 2, null, false))
                .hasMessageContaining("A: leading dimension 2 is smaller than its 3 columns");
        assertThatThrownBy(
                        () ->
                                Gemm.multiply(
                                        2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, new float[1], false))
                .hasMessageContaining("bias has 1 values, needs n=2");
        assertThatThrownBy(() -> Gemm.multiply(-1, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, null, false))
                .hasMessageContaining("negative dimension");
    }

    @Test
    void facadeUsesTheActiveMode() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        Gemm.multiply(2, 2, 2, a, b, c);
        assertThat(c).containsExactly(19, 22, 43, 50);
        assertThat(KernelMode.active())
                .isEqualTo(KernelMode.vectorApiPresent() ? KernelMode.VECTOR : KernelMode.SCALAR);
    }

    static float[] randomArray(Random random, int size) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return data;
    }
}
