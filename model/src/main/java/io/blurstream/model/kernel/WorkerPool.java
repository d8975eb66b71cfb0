package io.blurstream.model.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run the tasks {@code 0..n-1} of one parallel step, with the calling
 * thread working as worker 0. With at most one task per worker, task {@code i} always runs on
 * worker {@code i}; more tasks are handed out dynamically. Used by training and benchmarks; a
 * forecaster inside a Flink task runs without one (a slot is one thread). Steps from different
 * callers are serialised.
 *
 * <p>A forecast issues several steps per block, each a fraction of a millisecond long, so handing
 * work over must cost microseconds: idle helpers and a waiting caller spin for a short while
 * ({@link #SPIN_NANOS}) before they park, as OpenMP runtimes do.
 */
public final class WorkerPool implements AutoCloseable {

    /** How long a thread spins for new work or for completion before parking. */
    static final long SPIN_NANOS = 200_000;

    /** One parallel step's body. */
    @FunctionalInterface
    public interface Task {
        /**
         * @param task the task index, {@code 0 <= task < tasks}
         * @param worker the index of the running worker, {@code 0 <= worker < threads()}; use it to
         *     pick per-worker scratch memory
         */
        void run(int task, int worker);
    }

    private final Thread[] helpers;
    private final Object callerLock = new Object();
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicInteger busyHelpers = new AtomicInteger();
    private volatile Task current;
    private volatile int taskCount;
    private volatile long generation;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    /**
     * @param threads total workers including the caller; 1 means the caller alone
     */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        helpers = new Thread[threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            int worker = i + 1;
            helpers[i] = new Thread(() -> helperLoop(worker), "blurstream-worker-" + worker);
            helpers[i].setDaemon(true);
            helpers[i].start();
        }
    }

    /** Workers including the caller. */
    public int threads() {
        return helpers.length + 1;
    }

    /** Runs {@code tasks} tasks across the workers and returns when all are done. */
    public void run(int tasks, Task task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (helpers.length == 0 || tasks <= 1) {
            for (int i = 0; i < tasks; i++) {
                task.run(i, 0);
            }
            return;
        }
        synchronized (callerLock) {
            caller = Thread.currentThread();
            failure = null;
            current = task;
            taskCount = tasks;
            nextTask.set(0);
            busyHelpers.set(helpers.length);
            generation++; // publishes the fields above to the helpers
            for (Thread helper : helpers) {
                LockSupport.unpark(helper);
            }
            Throwable own = null;
            try {
                work(task, tasks, 0);
            } catch (Throwable t) {
                own = t;
            }
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (busyHelpers.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            current = null;
            Throwable first = own != null ? own : failure;
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
            if (first != null) {
                throw new IllegalStateException(first);
            }
        }
    }

    private void work(Task task, int tasks, int worker) {
        if (tasks <= threads()) {
            // one task per worker, always the same one: consecutive steps over the same rows
            // (a block's chunks, then the next block's) find them in that core's cache
            if (worker < tasks) {
                task.run(worker, worker);
            }
            return;
        }
        for (int i = nextTask.getAndIncrement(); i < tasks; i = nextTask.getAndIncrement()) {
            task.run(i, worker);
        }
    }

    private void helperLoop(int worker) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                work(current, taskCount, worker);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
            if (busyHelpers.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread helper : helpers) {
            LockSupport.unpark(helper);
        }
    }
}
