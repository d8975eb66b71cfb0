package io.blurstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The CPU figures the benchmarks print next to their timings. */
class CpuLoadTest {

    @Test
    void stealIsTheHypervisorsShareOfTheWallTime() {
        CpuLoad.Snapshot before = new CpuLoad.Snapshot(1_000_000_000L, 50, 10, 4.0);
        CpuLoad.Snapshot after = new CpuLoad.Snapshot(5_000_000_000L, 58, 12, 5.0);

        // one second stolen over four
        assertThat(CpuLoad.stealCores(before, after)).isEqualTo(0.25);
        // busy 8 s over 4 s, of which 2 s were this process's own
        assertThat(CpuLoad.foreignCores(before, after)).isEqualTo(1.5);
    }

    @Test
    void unknownStealIsReportedAsUnknown() {
        CpuLoad.Snapshot before = new CpuLoad.Snapshot(0, 1, 1, Double.NaN);
        CpuLoad.Snapshot after = new CpuLoad.Snapshot(1_000_000_000L, 2, 1, Double.NaN);

        assertThat(CpuLoad.stealCores(before, after)).isNull();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisLinuxMachineReportsItsStealSinceBoot() {
        CpuLoad.Snapshot now = CpuLoad.snapshot();

        assertThat(now.stealSeconds()).isNotNaN().isGreaterThanOrEqualTo(0);
        assertThat(now.machineBusySeconds()).isPositive();
    }
}
