package io.blurstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where this JVM's cores go: the CPU time of each live thread, and between two snapshots the cores
 * each kind of thread used. Flink's task threads keep their name, subtask included ({@code
 * "forecast (2/2)#0"}), so an uneven key split shows; other threads are pooled by their name with
 * the numbers taken out ({@code "kafka-producer-network-thread | producer-N"}), with the bytes each
 * allocated.
 *
 * <p>On Linux a snapshot also reads each thread's scheduler clocks ({@code
 * /proc/self/task/TID/schedstat}): besides the time on a core, the time it was ready to run and
 * waited for one. That tells a thread short of cores from one short of work. The kernel knows
 * threads by the first 15 bytes of their name only, so those figures pool a task's subtasks.
 */
final class ThreadCpu {

    /** The {@code (subtask/parallelism)#attempt} ending of a Flink task thread's name. */
    private static final Pattern FLINK_TASK = Pattern.compile(".*\\(\\d+/\\d+\\)#\\d+$");

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final Path TASKS = Path.of("/proc/self/task");

    /**
     * One reading.
     *
     * @param threads Java thread id → its name, CPU nanoseconds and bytes allocated
     * @param scheduled kernel thread id → its kernel name and scheduler clocks; empty off Linux
     */
    record Snapshot(long wallNanos, Map<Long, Named> threads, Map<Integer, Scheduled> scheduled) {}

    /** A Java thread: its name, CPU nanoseconds and bytes allocated (-1 where not measured). */
    record Named(String name, long cpuNanos, long allocatedBytes) {}

    /** A thread's scheduler clocks: nanoseconds on a core, and ready but waiting for one. */
    record Scheduled(String kernelName, long runNanos, long waitNanos) {}

    /**
     * Cores one kind of thread used between two snapshots, and the MB/s it allocated (-1 where not
     * measured). A thread on the hot path that allocates much more than its records' size is
     * boxing, for instance vectors whose operations the JIT compiler did not intrinsify.
     */
    record Share(String threads, double cores, double allocatedMBPerSec) {}

    /**
     * Between two snapshots, for one kernel name: the cores its threads ran on, and the average
     * number of them that were ready to run but waited for a core.
     */
    record Wait(String threads, double running, double waiting) {}

    private ThreadCpu() {}

    /** Whether this JVM measures threads' CPU time; without it every snapshot is empty. */
    static boolean supported() {
        return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    static Snapshot snapshot() {
        Map<Long, Named> threads = new HashMap<>();
        if (supported()) {
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info == null) {
                    continue; // ended since the ids were read
                }
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    threads.put(
                            info.getThreadId(),
                            new Named(
                                    info.getThreadName(), cpu, allocatedBytes(info.getThreadId())));
                }
            }
        }
        return new Snapshot(System.nanoTime(), threads, scheduled());
    }

    private static long allocatedBytes(long threadId) {
        return THREADS instanceof com.sun.management.ThreadMXBean hotspot
                        && hotspot.isThreadAllocatedMemorySupported()
                        && hotspot.isThreadAllocatedMemoryEnabled()
                ? hotspot.getThreadAllocatedBytes(threadId)
                : -1;
    }

    /**
     * Every thread's scheduler clocks and kernel name; empty where {@code /proc/self/task} cannot
     * be read. The name is read anew each time: a thread names itself only once it runs, so a
     * snapshot taken just after {@code Thread.start()} may still see the name it inherited.
     */
    private static Map<Integer, Scheduled> scheduled() {
        Map<Integer, Scheduled> scheduled = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return scheduled;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid = Integer.parseInt(task.getFileName().toString());
                try {
                    // "<ns on a core> <ns waiting on a run queue> <time slices>"
                    String[] clocks = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    String name = Files.readString(task.resolve("comm")).strip();
                    scheduled.put(
                            tid,
                            new Scheduled(
                                    name, Long.parseLong(clocks[0]), Long.parseLong(clocks[1])));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read, or the kernel keeps no schedstat
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return scheduled;
    }

    /**
     * Running and waiting cores per kernel name between {@code from} and {@code to}, most waiting
     * first; the last entry, {@code "all threads"}, sums them. Empty off Linux.
     */
    static List<Wait> waits(Snapshot from, Snapshot to) {
        double wall = to.wallNanos() - from.wallNanos();
        Map<String, long[]> byName = new LinkedHashMap<>();
        if (wall > 0) {
            for (Map.Entry<Integer, Scheduled> thread : to.scheduled().entrySet()) {
                Scheduled before = from.scheduled().get(thread.getKey());
                Scheduled now = thread.getValue();
                long[] clocks = byName.computeIfAbsent(kind(now.kernelName()), k -> new long[2]);
                clocks[0] += now.runNanos() - (before == null ? 0 : before.runNanos());
                clocks[1] += now.waitNanos() - (before == null ? 0 : before.waitNanos());
            }
        }
        List<Wait> waits = new ArrayList<>();
        long run = 0;
        long wait = 0;
        for (Map.Entry<String, long[]> e : byName.entrySet()) {
            waits.add(new Wait(e.getKey(), e.getValue()[0] / wall, e.getValue()[1] / wall));
            run += e.getValue()[0];
            wait += e.getValue()[1];
        }
        waits.sort(Comparator.comparingDouble(Wait::waiting).reversed());
        if (!waits.isEmpty()) {
            waits.add(new Wait("all threads", run / wall, wait / wall));
        }
        return waits;
    }

    /**
     * Cores per kind of thread between {@code from} and {@code to}, most first; a thread born in
     * between counts from zero, one that ended in between is lost (its time is in the JVM's total,
     * not here).
     */
    static List<Share> shares(Snapshot from, Snapshot to) {
        double wall = to.wallNanos() - from.wallNanos();
        // per kind: CPU nanoseconds, bytes allocated, and whether every thread had the latter
        Map<String, long[]> byKind = new LinkedHashMap<>();
        if (wall > 0) {
            for (Map.Entry<Long, Named> thread : to.threads().entrySet()) {
                Named before = from.threads().get(thread.getKey());
                Named now = thread.getValue();
                long[] sums = byKind.computeIfAbsent(kind(now.name()), k -> new long[] {0, 0, 1});
                sums[0] += now.cpuNanos() - (before == null ? 0 : before.cpuNanos());
                if (now.allocatedBytes() < 0 || (before != null && before.allocatedBytes() < 0)) {
                    sums[2] = 0;
                } else {
                    sums[1] +=
                            now.allocatedBytes() - (before == null ? 0 : before.allocatedBytes());
                }
            }
        }
        List<Share> shares = new ArrayList<>();
        byKind.forEach(
                (kind, sums) ->
                        shares.add(
                                new Share(
                                        kind,
                                        sums[0] / wall,
                                        sums[2] == 1 ? sums[1] / 1e6 / (wall / 1e9) : -1)));
        shares.sort(Comparator.comparingDouble(Share::cores).reversed());
        return shares;
    }

    /** The name a thread is reported under. */
    static String kind(String threadName) {
        return FLINK_TASK.matcher(threadName).matches()
                ? threadName
                : DIGITS.matcher(threadName).replaceAll("N");
    }
}
