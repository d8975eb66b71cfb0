package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interleaved, JVM-per-shape measurement of {@code bench kernel}: real child JVMs serving real
 * slices, on shapes small enough to take a few seconds. Nothing here judges a speed.
 */
class ForkedKernelBenchTest {

    @Test
    void everyShapeAndBatchGetsARowFromItsOwnJvmInTheGridsOrder() throws Exception {
        List<String> progress = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger parentCalls =
                new java.util.concurrent.atomic.AtomicInteger();
        ForkedKernelBench.Measured measured =
                ForkedKernelBench.run(
                        List.of(96, 24),
                        List.of(16),
                        List.of(1, 3),
                        0.05,
                        1,
                        2,
                        2,
                        parentCalls::incrementAndGet,
                        progress::add);
        List<KernelBench.Row> rows = measured.rows();

        assertThat(rows)
                .extracting(KernelBench.Row::window, KernelBench.Row::batch)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(96, 1),
                        org.assertj.core.groups.Tuple.tuple(96, 3),
                        org.assertj.core.groups.Tuple.tuple(24, 1),
                        org.assertj.core.groups.Tuple.tuple(24, 3));
        for (KernelBench.Row row : rows) {
            assertThat(row.hidden()).isEqualTo(16);
            assertThat(row.windowsPerSec()).isPositive().isFinite();
            assertThat(row.microsPerWindow())
                    .isCloseTo(
                            1e6 / row.windowsPerSec(), org.assertj.core.data.Offset.offset(1e-6));
            double flopsPerWindow =
                    new io.blurstream.model.Forecaster(KernelBench.model(row.window(), 16))
                            .flopsPerWindow();
            assertThat(row.gflops())
                    .isCloseTo(
                            row.windowsPerSec() * flopsPerWindow / 1e9,
                            org.assertj.core.data.Offset.offset(1e-9));
        }
        // against itself every slice's ratio is 1; a shorter window costs less than W=96
        assertThat(rows.get(0).costVsW96()).isEqualTo(1.0);
        assertThat(rows.get(1).costVsW96()).isEqualTo(1.0);
        assertThat(rows.get(2).costVsW96()).isPositive().isLessThan(1.0);
        assertThat(rows.get(3).costVsW96()).isPositive().isLessThan(1.0);
        // the parent's call was measured too, and more often than once per pass
        assertThat(measured.parentCallsPerSec()).isPositive().isFinite();
        assertThat(parentCalls.get()).isGreaterThan(10);
        // two rounds of five slices, each pass taken by every row in turn
        assertThat(progress).filteredOn(line -> line.startsWith("pass ")).hasSize(10);
        assertThat(progress).contains("W=96 H=N=16 (2 JVMs)", "W=24 H=N=16 (2 JVMs)");
        assertThat(progress)
                .filteredOn(line -> line.contains(": windows/s per JVM "))
                .hasSize(4)
                .allMatch(line -> line.matches(".*per JVM [0-9.]+ / [0-9.]+"));
    }

    @Test
    void eachJvmGetsItsOwnMedianFromThePassMajorSamples() {
        // three passes of two JVMs: JVM 0 measured 10, 12, 11 and JVM 1 measured 20, 5, 30
        double[] samples = {10, 20, 12, 5, 11, 30};

        assertThat(ForkedKernelBench.perJvm(samples, 2)).isEqualTo("11.0 / 20.0");
    }

    @Test
    void theMedianOfAnEvenCountIsTheLowerMiddle() {
        assertThat(ForkedKernelBench.median(new double[] {5, 1, 4, 2})).isEqualTo(2);
        assertThat(ForkedKernelBench.median(new double[] {3, 9, 1})).isEqualTo(3);
    }
}
