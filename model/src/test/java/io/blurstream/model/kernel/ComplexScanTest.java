package io.blurstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The complex scans against a float64 sequential twin, both directions, both implementations. */
class ComplexScanTest {

    interface Impl {
        void scan(
                float[] buf,
                int first,
                int rows,
                int stride,
                int n,
                float[] lr,
                float[] li,
                float[] carry,
                int carryOff);
    }

    private static final Impl VECTOR = VectorScan::scan;
    private static final Impl SCALAR = ComplexScan::scalarScan;

    @ParameterizedTest(name = "rows={0} n={1}")
    @CsvSource({
        "1, 1",
        "1, 16",
        "7, 15",
        "8, 16",
        "33, 17",
        "96, 64",
        "96, 80",
        "50, 100",
        "100, 130",
        "8192, 24"
    })
    void forwardAndBackwardMatchReference(int rows, int n) {
        for (Impl impl : new Impl[] {VECTOR, SCALAR}) {
            for (boolean backward : new boolean[] {false, true}) {
                check(impl, rows, n, backward);
            }
        }
    }

    private static void check(Impl impl, int rows, int n, boolean backward) {
        Random random = new Random(rows * 31L + n);
        int ld = 2 * n + 3;
        int off = 5;
        float[] lr = new float[n];
        float[] li = new float[n];
        randomLambda(random, lr, li);
        float[] buf = GemmTest.randomArray(random, off + rows * ld + 2);
        float[] carry = GemmTest.randomArray(random, 2 * n + 4);
        float[] input = buf.clone();
        float[] carryIn = carry.clone();
        int first = backward ? off + (rows - 1) * ld : off;
        impl.scan(buf, first, rows, backward ? -ld : ld, n, lr, li, carry, 4);

        for (int s = 0; s < n; s++) {
            double hr = carryIn[4 + s];
            double hi = carryIn[4 + n + s];
            double maxAbs = Math.abs(hr) + Math.abs(hi);
            for (int step = 0; step < rows; step++) {
                int t = backward ? rows - 1 - step : step;
                int row = off + t * ld;
                double nr = lr[s] * hr - li[s] * hi + input[row + s];
                double ni = lr[s] * hi + li[s] * hr + input[row + n + s];
                hr = nr;
                hi = ni;
                maxAbs = Math.max(maxAbs, Math.abs(hr) + Math.abs(hi));
                // a stable recurrence keeps the error within ~ε·|h|/(1-|λ|) per state
                double tolerance = 1e-5 * Math.max(1, maxAbs);
                assertThat((double) buf[row + s])
                        .as("Re h[%d][%d] %s", t, s, backward ? "backward" : "forward")
                        .isCloseTo(hr, org.assertj.core.data.Offset.offset(tolerance));
                assertThat((double) buf[row + n + s])
                        .as("Im h[%d][%d]", t, s)
                        .isCloseTo(hi, org.assertj.core.data.Offset.offset(tolerance));
            }
            int last = off + (backward ? 0 : rows - 1) * ld;
            assertThat(carry[4 + s]).as("carry out re %d", s).isEqualTo(buf[last + s]);
            assertThat(carry[4 + n + s]).as("carry out im %d", s).isEqualTo(buf[last + n + s]);
        }
        // the gap between the re/im block and the next row is untouched
        for (int t = 0; t < rows; t++) {
            for (int g = 2 * n; g < ld; g++) {
                assertThat(buf[off + t * ld + g]).isEqualTo(input[off + t * ld + g]);
            }
        }
    }

    @Test
    void chunkedScanWithCarryEqualsOneScan() {
        int rows = 1000;
        int n = 40;
        Random random = new Random(3);
        float[] lr = new float[n];
        float[] li = new float[n];
        randomLambda(random, lr, li);
        float[] whole = GemmTest.randomArray(random, rows * 2 * n);
        float[] chunked = whole.clone();
        ComplexScan.forward(whole, 0, rows, 2 * n, n, lr, li, new float[2 * n], 0);
        float[] carry = new float[2 * n];
        for (int t0 = 0; t0 < rows; t0 += 77) {
            int len = Math.min(77, rows - t0);
            ComplexScan.forward(chunked, t0 * 2 * n, len, 2 * n, n, lr, li, carry, 0);
        }
        assertThat(chunked).containsExactly(whole);
    }

    @Test
    void backwardEqualsForwardOverReversedRows() {
        int rows = 129;
        int n = 33;
        Random random = new Random(4);
        float[] lr = new float[n];
        float[] li = new float[n];
        randomLambda(random, lr, li);
        float[] data = GemmTest.randomArray(random, rows * 2 * n);
        float[] reversed = new float[data.length];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(data, t * 2 * n, reversed, (rows - 1 - t) * 2 * n, 2 * n);
        }
        ComplexScan.backward(data, 0, rows, 2 * n, n, lr, li, new float[2 * n], 0);
        ComplexScan.forward(reversed, 0, rows, 2 * n, n, lr, li, new float[2 * n], 0);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < 2 * n; i++) {
                assertThat(data[t * 2 * n + i]).isEqualTo(reversed[(rows - 1 - t) * 2 * n + i]);
            }
        }
    }

    /** The parallel chunked scan's algebra: zero-start chunks plus λ-power fix-ups are exact. */
    @Test
    void carryFixUpWithPowersEqualsSequentialScan() {
        int rows = 500;
        int n = 20;
        int chunk = 128;
        Random random = new Random(8);
        float[] lr = new float[n];
        float[] li = new float[n];
        randomLambda(random, lr, li);
        float[] sequential = GemmTest.randomArray(random, rows * 2 * n);
        float[] parallel = sequential.clone();
        ComplexScan.forward(sequential, 0, rows, 2 * n, n, lr, li, new float[2 * n], 0);

        float[] powersRe = new float[chunk * n];
        float[] powersIm = new float[chunk * n];
        ComplexScan.powers(lr, li, n, chunk, powersRe, powersIm);
        int chunks = (rows + chunk - 1) / chunk;
        float[] ends = new float[chunks * 2 * n];
        for (int c = 0; c < chunks; c++) {
            int len = Math.min(chunk, rows - c * chunk);
            ComplexScan.forward(
                    parallel, c * chunk * 2 * n, len, 2 * n, n, lr, li, ends, c * 2 * n);
        }
        float[] carry = new float[2 * n];
        for (int c = 1; c < chunks; c++) {
            // state entering chunk c = true end state of chunk c-1
            System.arraycopy(parallel, (c * chunk - 1) * 2 * n, carry, 0, 2 * n);
            int len = Math.min(chunk, rows - c * chunk);
            ComplexScan.addCarry(
                    parallel, c * chunk * 2 * n, len, 2 * n, n, powersRe, powersIm, carry, 0);
        }
        for (int i = 0; i < sequential.length; i++) {
            assertThat(parallel[i])
                    .as("element %d", i)
                    .isCloseTo(sequential[i], org.assertj.core.data.Offset.offset(2e-4f));
        }
    }

    @Test
    void decayingStatesAreFlushedInsteadOfBecomingSubnormal() {
        int rows = 3000;
        int n = 32;
        float[] lr = new float[n];
        float[] li = new float[n];
        java.util.Arrays.fill(lr, 0.9f);
        java.util.Arrays.fill(li, 0.05f);
        for (Impl impl : new Impl[] {VECTOR, SCALAR}) {
            float[] buf = new float[rows * 2 * n];
            java.util.Arrays.fill(buf, 0, 2 * n, 1f); // an impulse, then silence
            impl.scan(buf, 0, rows, 2 * n, n, lr, li, new float[2 * n], 0);
            for (float v : buf) {
                assertThat(v == 0 || Math.abs(v) >= Float.MIN_NORMAL)
                        .as("no subnormal state (%s)", v)
                        .isTrue();
            }
            assertThat(buf[(rows - 1) * 2 * n]).isZero();
        }
    }

    @Test
    void theFlushKeepsTheThresholdItselfAndZeroesEverythingSmaller() {
        // λ = 0, so each state is its input; 83 states reach the four-vector loop, the
        // one-vector loop and the scalar tail at every vector width up to 16 lanes
        int n = 83;
        float below = Math.nextDown(ComplexScan.FLUSH_BELOW);
        float[] inputs = {
            ComplexScan.FLUSH_BELOW,
            -ComplexScan.FLUSH_BELOW,
            below,
            -below,
            Float.MIN_VALUE,
            -0f,
            1f
        };
        float[] expected = {ComplexScan.FLUSH_BELOW, -ComplexScan.FLUSH_BELOW, 0, 0, 0, 0, 1f};
        for (Impl impl : new Impl[] {VECTOR, SCALAR}) {
            float[] buf = new float[inputs.length * 2 * n];
            for (int t = 0; t < inputs.length; t++) {
                java.util.Arrays.fill(buf, t * 2 * n, (t + 1) * 2 * n, inputs[t]);
            }
            impl.scan(
                    buf,
                    0,
                    inputs.length,
                    2 * n,
                    n,
                    new float[n],
                    new float[n],
                    new float[2 * n],
                    0);
            for (int t = 0; t < inputs.length; t++) {
                for (int j = 0; j < 2 * n; j++) {
                    assertThat(Float.floatToRawIntBits(buf[t * 2 * n + j]))
                            .as("input %s, component %d", inputs[t], j)
                            .isEqualTo(Float.floatToRawIntBits(expected[t]));
                }
            }
        }
    }

    @Test
    void rejectsOverrunsAndBadShapes() {
        float[] lambda = new float[4];
        assertThatThrownBy(
                        () ->
                                ComplexScan.forward(
                                        new float[15], 0, 2, 8, 4, lambda, lambda, new float[8], 0))
                .hasMessageContaining("overruns buffer of 15");
        assertThatThrownBy(
                        () ->
                                ComplexScan.forward(
                                        new float[16], 0, 2, 7, 4, lambda, lambda, new float[8], 0))
                .hasMessageContaining("needs ld >= 2n");
        assertThatThrownBy(
                        () ->
                                ComplexScan.backward(
                                        new float[16], 0, 2, 8, 4, lambda, lambda, new float[7], 0))
                .hasMessageContaining("carry needs 2n=8");
    }

    static void randomLambda(Random random, float[] re, float[] im) {
        for (int s = 0; s < re.length; s++) {
            double magnitude = 0.5 + 0.49 * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            re[s] = (float) (magnitude * Math.cos(phase));
            im[s] = (float) (magnitude * Math.sin(phase));
        }
    }
}
