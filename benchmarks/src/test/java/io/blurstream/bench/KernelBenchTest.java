package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code bench kernel --rounds} combines its rounds; nothing here is timed. */
class KernelBenchTest {

    private static KernelBench.Row row(int window, int batch, double windowsPerSec) {
        // 2 MFLOP per window, so GFLOP/s = windows/s * 0.002
        return new KernelBench.Row(
                window,
                128,
                128,
                2,
                batch,
                windowsPerSec,
                windowsPerSec * 0.002,
                1e6 / windowsPerSec,
                Double.NaN);
    }

    @Test
    void eachRowTakesItsOwnMedianAcrossRounds() {
        List<KernelBench.Row> medians =
                KernelBench.medians(
                        List.of(
                                List.of(row(96, 1, 2000), row(4096, 1, 50)),
                                List.of(row(96, 1, 1000), row(4096, 1, 44)),
                                List.of(row(96, 1, 2400), row(4096, 1, 40))));

        assertThat(medians).hasSize(2);
        assertThat(medians.get(0).windowsPerSec()).isEqualTo(2000);
        assertThat(medians.get(1).windowsPerSec()).isEqualTo(44);
        assertThat(medians.get(1).window()).isEqualTo(4096);
        assertThat(medians.get(1).gflops())
                .isCloseTo(0.088, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(medians.get(1).microsPerWindow())
                .isCloseTo(1e6 / 44, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void anEvenNumberOfRoundsReportsTheLowerMiddleRound() {
        List<KernelBench.Row> medians =
                KernelBench.medians(List.of(List.of(row(96, 64, 300)), List.of(row(96, 64, 100))));

        assertThat(medians.get(0).windowsPerSec()).isEqualTo(100);
    }

    @Test
    void oneRoundIsReportedAsMeasured() {
        List<KernelBench.Row> round = List.of(row(96, 1, 1234.5), row(720, 64, 250.25));

        List<KernelBench.Row> medians = KernelBench.medians(List.of(round));

        assertThat(medians)
                .extracting(KernelBench.Row::windowsPerSec)
                .containsExactly(1234.5, 250.25);
        // no W=96 row at batch 64, so the W=720 row has no cost against it
        assertThat(medians).extracting(KernelBench.Row::costVsW96).containsExactly(1.0, Double.NaN);
    }

    @Test
    void theCostAgainstW96PairsTheRoundsInsteadOfDividingTheMedians() {
        // the host changed speed between the rounds; each round's two rows saw the same host
        List<KernelBench.Row> medians =
                KernelBench.medians(
                        List.of(
                                List.of(row(96, 1, 4000), row(4096, 1, 80), row(96, 64, 10)),
                                List.of(row(96, 1, 3000), row(4096, 1, 100), row(96, 64, 10)),
                                List.of(row(96, 1, 3500), row(4096, 1, 70), row(96, 64, 10))));

        // the rounds' ratios are 50, 30 and 50; the medians would give 3500 / 80 = 43.75
        assertThat(medians.get(1).costVsW96())
                .isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(medians.get(0).costVsW96()).isEqualTo(1.0);
        assertThat(medians.get(2).costVsW96()).isEqualTo(1.0);
    }

    @Test
    void aPairedRatioIsTheMedianOfTheRatiosOfEqualIndices() {
        double ratio = KernelBench.pairedRatio(new double[] {100, 90, 80}, new double[] {2, 1, 4});

        // ratios 50, 90, 20
        assertThat(ratio).isEqualTo(50);
    }
}
