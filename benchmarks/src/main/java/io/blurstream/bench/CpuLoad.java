package io.blurstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the rest of the machine was while something was timed: the machine's busy CPU time (from
 * {@code /proc/stat}) minus this process's own CPU time, divided by the wall time. It is the
 * average number of cores that other processes kept busy. The PyTorch peers compute the same figure
 * the same way ({@code foreign_cores} in {@code benchmarks/peers/blur_torch.py}).
 */
final class CpuLoad {

    /** Jiffies per second of {@code /proc/stat}: USER_HZ, 100 on every Linux architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /**
     * One reading.
     *
     * @param wallNanos {@link System#nanoTime()}
     * @param machineBusySeconds busy time of all cores since boot, or NaN where unknown
     * @param processCpuSeconds CPU time of this JVM, or NaN where unknown
     */
    record Snapshot(long wallNanos, double machineBusySeconds, double processCpuSeconds) {}

    private CpuLoad() {}

    static Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), machineBusySeconds(), processCpuSeconds());
    }

    /**
     * Average cores kept busy by other processes between two snapshots, or {@code null} when the
     * machine's or the process's CPU time is unknown (not Linux, or no {@code com.sun.management}
     * bean).
     */
    static Double foreignCores(Snapshot before, Snapshot after) {
        double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
        double machine = after.machineBusySeconds() - before.machineBusySeconds();
        double own = after.processCpuSeconds() - before.processCpuSeconds();
        if (!(wall > 0) || Double.isNaN(machine) || Double.isNaN(own)) {
            return null;
        }
        return Math.max(0, (machine - own) / wall);
    }

    /** All CPU time but idle and iowait, summed over the first line of {@code /proc/stat}. */
    private static double machineBusySeconds() {
        try {
            String first = Files.readAllLines(PROC_STAT).get(0);
            String[] fields = first.trim().split("\\s+");
            long busy = 0;
            // cpu user nice system idle iowait irq softirq steal ...: count up to steal
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds this JVM has used so far; NaN where the platform does not say. */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean bean) {
            long nanos = bean.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }
}
