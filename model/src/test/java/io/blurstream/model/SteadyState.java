package io.blurstream.model;

import java.lang.management.ManagementFactory;

/**
 * Measures what a hot loop allocates once the JIT has compiled it. Interpreted and C1-compiled
 * Vector API code boxes vectors, and how long C2 takes depends on the machine's load and on what
 * ran before in the same JVM, so a fixed warm-up is either slow or flaky. This warms up in rounds
 * until a measured round allocates nothing, for at most a minute; a real leak never gets there.
 */
public final class SteadyState {

    private static final long TIME_LIMIT_NANOS = 60_000_000_000L;

    private SteadyState() {}

    /**
     * Bytes allocated on this thread by {@code measured} calls of {@code step} in the last round: 0
     * once the code is compiled and allocation-free.
     */
    public static long allocatedBytes(Runnable step, int warmUpPerRound, int measured) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long started = System.nanoTime();
        long allocated;
        do {
            for (int i = 0; i < warmUpPerRound; i++) {
                step.run();
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < measured; i++) {
                step.run();
            }
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        } while (allocated != 0 && System.nanoTime() - started < TIME_LIMIT_NANOS);
        return allocated;
    }
}
