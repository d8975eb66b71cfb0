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
     * @param stealSeconds time the hypervisor ran something else on this machine's vCPUs while they
     *     had work, since boot, or NaN where unknown
     */
    record Snapshot(
            long wallNanos,
            double machineBusySeconds,
            double processCpuSeconds,
            double stealSeconds) {}

    private CpuLoad() {}

    static Snapshot snapshot() {
        long[] ticks = procStatTicks();
        return new Snapshot(
                System.nanoTime(),
                machineBusySeconds(ticks),
                processCpuSeconds(),
                ticks.length > STEAL ? ticks[STEAL] / TICKS_PER_SECOND : Double.NaN);
    }

    /**
     * Average cores the hypervisor took from this machine between two snapshots (steal time), or
     * {@code null} where unknown. On a shared host this is the time a benchmark lost to other
     * guests.
     */
    static Double stealCores(Snapshot before, Snapshot after) {
        double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
        double steal = after.stealSeconds() - before.stealSeconds();
        return wall > 0 && !Double.isNaN(steal) ? Math.max(0, steal / wall) : null;
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

    /** Index of steal among the fields of {@code /proc/stat}'s first line (after "cpu"). */
    private static final int STEAL = 8;

    /** The first line of {@code /proc/stat} in ticks, index 1 for user; empty where unknown. */
    private static long[] procStatTicks() {
        try {
            String[] fields = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
            long[] ticks = new long[fields.length];
            for (int i = 1; i < fields.length; i++) {
                ticks[i] = Long.parseLong(fields[i]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /** All CPU time but idle and iowait: cpu user nice system idle iowait irq softirq steal. */
    private static double machineBusySeconds(long[] ticks) {
        if (ticks.length <= STEAL) {
            return Double.NaN;
        }
        long busy = 0;
        for (int i = 1; i <= STEAL; i++) {
            if (i != 4 && i != 5) {
                busy += ticks[i];
            }
        }
        return busy / TICKS_PER_SECOND;
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
