package io.blurstream.model.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of threads that run the tasks {@code 0..n-1} of one parallel step, with the calling
 * thread working as worker 0. Used by training and benchmarks; a forecaster inside a Flink task
 * runs without one (a slot is one thread). Allocation-free per step; steps from different callers
 * are serialised.
 */
public final class WorkerPool implements AutoCloseable {

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
    private final Object lock = new Object();
    private final Object callerLock = new Object();
    private final AtomicInteger nextTask = new AtomicInteger();
    private Task current;
    private int taskCount;
    private long generation;
    private int idleHelpers;
    private Throwable failure;
    private boolean closed;

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
        if (helpers.length == 0 || tasks <= 1) {
            for (int i = 0; i < tasks; i++) {
                task.run(i, 0);
            }
            return;
        }
        synchronized (callerLock) {
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("worker pool is closed");
                }
                current = task;
                taskCount = tasks;
                nextTask.set(0);
                idleHelpers = 0;
                failure = null;
                generation++;
                lock.notifyAll();
            }
            Throwable own = null;
            try {
                work(task, tasks, 0);
            } catch (Throwable t) {
                own = t;
            }
            Throwable helperFailure;
            boolean interrupted = false;
            synchronized (lock) {
                while (idleHelpers < helpers.length) {
                    interrupted |= await();
                }
                current = null;
                helperFailure = failure;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable first = own != null ? own : helperFailure;
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
        for (int i = nextTask.getAndIncrement(); i < tasks; i = nextTask.getAndIncrement()) {
            task.run(i, worker);
        }
    }

    private void helperLoop(int worker) {
        long seen = 0;
        while (true) {
            Task task;
            int tasks;
            synchronized (lock) {
                while (generation == seen && !closed) {
                    await();
                }
                if (closed) {
                    return;
                }
                seen = generation;
                task = current;
                tasks = taskCount;
            }
            Throwable thrown = null;
            try {
                work(task, tasks, worker);
            } catch (Throwable t) {
                thrown = t;
            }
            synchronized (lock) {
                if (thrown != null && failure == null) {
                    failure = thrown;
                }
                idleHelpers++;
                lock.notifyAll();
            }
        }
    }

    /** Waits on the lock; returns whether the wait was interrupted (the flag is cleared). */
    private boolean await() {
        try {
            lock.wait();
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
